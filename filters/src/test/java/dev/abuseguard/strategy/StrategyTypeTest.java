package dev.abuseguard.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(StrategyType.fromConfigName("sliding_window_counter"))
                .isEqualTo(StrategyType.SLIDING_WINDOW_COUNTER);
    }

    @Test
    void anUnknownNameIsAnsweredWithEveryStrategy() {
        assertThatThrownBy(() -> StrategyType.fromConfigName("sliding-windw"))
                .hasMessage("unknown strategy 'sliding-windw'; use one of token-bucket, sliding-window, fixed-window, "
                        + "leaky-bucket, sliding-window-counter");
    }
}
