package dev.abuseguard.policy;

import dev.abuseguard.strategy.Quota;
import dev.abuseguard.strategy.StrategyType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One action's limit, as written under {@code abuse-guard.actions.<name>} in routes.yml.
 *
 * @param limit           how many requests the window admits (sliding-window: at most 1000)
 * @param window          the window (e.g. 1h): with limit, the rate
 * @param strategy        token-bucket, sliding-window, sliding-window-counter, fixed-window or leaky-bucket
 * @param onStoreFailure  while Redis fails: local (decide from memory), allow or deny (503)
 * @param maxDelay        leaky bucket only: the longest a request is held before it is forwarded
 * @param spendOn         request (every request spends quota) or failure (only answers in failure-statuses)
 * @param failureStatuses with {@code spend-on: failure}: the backend statuses that spend quota
 * @param global          a limit shared by all users of the action on all instances, or {@code null}
 * @param shadow          shadow mode: decided and spent as if enforced, but always forwarded; a refusal is
 *                        counted and logged, never scored
 */
@SlidingLogCap
public record ActionPolicy(
        @Positive long limit,
        @NotNull Duration window,
        @NotNull StrategyType strategy,
        @DefaultValue("local") @NotNull StoreFailureMode onStoreFailure,
        @DefaultValue("2s") @NotNull Duration maxDelay,
        @DefaultValue("request") @NotNull SpendOn spendOn,
        @DefaultValue({"401", "403"}) @NotEmpty List<Integer> failureStatuses,
        @Valid GlobalLimit global,
        @DefaultValue("false") boolean shadow) {

    public ActionPolicy {
        failureStatuses = failureStatuses == null ? List.of() : List.copyOf(failureStatuses);
    }

    /** Shorthand for tests and code: spend on every request, decide locally when the store is down. */
    public static ActionPolicy of(long limit, Duration window, StrategyType strategy) {
        return new ActionPolicy(limit, window, strategy, StoreFailureMode.LOCAL, Duration.ofSeconds(2),
                SpendOn.REQUEST, List.of(401, 403), null, false);
    }

    @AssertTrue(message = "window must be at least 1ms and limit x window (ms) below 2^50")
    public boolean isWindowUsable() {
        return window == null || limit < 1
                || (window.toMillis() >= 1 && limit <= Quota.MAX_LIMIT_TIMES_WINDOW / window.toMillis());
    }

    @AssertTrue(message = "max-delay must not be negative")
    public boolean isMaxDelayUsable() {
        return maxDelay == null || !maxDelay.isNegative();
    }

    /** The longest a request of this action is held before it is forwarded: max-delay for a leaky bucket. */
    public Duration longestDelay() {
        return strategy == StrategyType.LEAKY_BUCKET ? maxDelay : Duration.ZERO;
    }

    /** The same limit with another {@code on-store-failure}: for routes that must never fail closed. */
    public ActionPolicy withOnStoreFailure(StoreFailureMode mode) {
        return new ActionPolicy(limit, window, strategy, mode, maxDelay, spendOn, failureStatuses, global, shadow);
    }

    /** The same limit in shadow mode or enforced. */
    public ActionPolicy withShadow(boolean inShadow) {
        return inShadow == shadow ? this : new ActionPolicy(limit, window, strategy, onStoreFailure, maxDelay, spendOn,
                failureStatuses, global, inShadow);
    }

    public Quota quota() {
        return new Quota(limit, window.toMillis(), maxDelay.toMillis());
    }
}
