package dev.abuseguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.strategy.StrategyType;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SlidingLogCapTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    private static Set<ConstraintViolation<ActionPolicy>> violations(long limit, StrategyType strategy) {
        return VALIDATOR.validate(ActionPolicy.of(limit, Duration.ofHours(1), strategy));
    }

    @Test
    void aSlidingWindowAboveTheCapIsRefusedOnItsLimitNamingTheCounter() {
        assertThat(violations(SlidingLogCap.MAX_LIMIT, StrategyType.SLIDING_WINDOW)).isEmpty();

        Set<ConstraintViolation<ActionPolicy>> refused = violations(SlidingLogCap.MAX_LIMIT + 1,
                StrategyType.SLIDING_WINDOW);
        assertThat(refused).singleElement().satisfies(violation -> {
            assertThat(violation.getPropertyPath()).hasToString("limit");
            assertThat(violation.getMessage()).isEqualTo("sliding-window keeps every admission of its window: limit "
                    + "must be at most 1000; for a larger limit use strategy sliding-window-counter");
        });
    }

    @Test
    void otherStrategiesTakeAnyLimit() {
        for (StrategyType strategy : StrategyType.values()) {
            if (strategy != StrategyType.SLIDING_WINDOW) {
                assertThat(violations(100_000, strategy)).as(strategy.configName()).isEmpty();
            }
        }
    }
}
