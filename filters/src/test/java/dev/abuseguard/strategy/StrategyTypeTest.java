package dev.abuseguard.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StrategyTypeTest {

    @Test
    void everyStrategyHasAKeyCodeOfItsOwn() {
        assertThat(Arrays.stream(StrategyType.values()).map(StrategyType::code)).doesNotHaveDuplicates()
                .hasSize(StrategyType.values().length);
    }

    @Test
    void operatorsNamesAreReadWhateverTheCaseOrSeparator() {
        assertThat(StrategyType.fromConfigName(" Sliding_Window ")).isEqualTo(StrategyType.SLIDING_WINDOW);
    }
}
