package dev.abuseguard.policy;

import dev.abuseguard.strategy.StrategyType;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@code sliding-window} action's limit is at most {@value #MAX_LIMIT}. The sliding log keeps one entry per
 * admission still inside its window: in Redis a sorted set, which past 128 entries takes 113 to 127 bytes an entry
 * (MEMORY USAGE on Redis 7.0: 113 KB at 1,000 entries, 1.27 MB at 10,000, 12 MB at 100,000), and in memory an
 * array of longs that every admission copies. At 1,000 a user's log stays near 110 KB in Redis and 8 KB in memory.
 * Above it {@code sliding-window-counter} keeps two counts whatever the limit, and its rounding costs at most one
 * request a window under steady load, a tenth of a percent from 1,000 on.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = SlidingLogCap.Check.class)
public @interface SlidingLogCap {

    long MAX_LIMIT = 1_000;

    String message() default "sliding-window keeps every admission of its window: limit must be at most " + MAX_LIMIT
            + "; for a larger limit use strategy sliding-window-counter";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Reports on {@code limit}, so that the error names {@code abuse-guard.actions[<name>].limit}. */
    final class Check implements ConstraintValidator<SlidingLogCap, ActionPolicy> {

        @Override
        public boolean isValid(ActionPolicy policy, ConstraintValidatorContext context) {
            if (policy.strategy() != StrategyType.SLIDING_WINDOW || policy.limit() <= MAX_LIMIT) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("limit").addConstraintViolation();
            return false;
        }
    }
}
