package dev.abuseguard.global;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionLink;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.decision.StoreStatus;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.GlobalLimit;
import dev.abuseguard.policy.LivePolicies;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The global limits of this instance, one {@link GlobalCounter} per action that has one. Checked before anything
 * else decides: a request over an action's global limit is answered here, 429 with scope {@code global}, without
 * a store call, without spending the user's quota and without scoring the user. An admitted request that the
 * user's own decision then refuses is given back, so the global count is what was forwarded.
 */
public final class GlobalLimits implements DecisionLink {

    /** A refusal by a global limit knows nothing of the user: no score to tell. */
    public static final long UNKNOWN_SCORE = -1;

    private final Clock clock;
    private final LivePolicies policies;
    /** One entry per configured action with a global limit: bounded by the configuration. */
    private final Map<String, GlobalCounter> counters = new ConcurrentHashMap<>();

    public GlobalLimits(Clock clock, LivePolicies policies) {
        this.clock = clock;
        this.policies = policies;
    }

    /** The store that checks the global limits before {@code delegate} decides. */
    @Override
    public DecisionStore around(DecisionStore delegate) {
        return new Checking(delegate);
    }

    /** The counter of an action as configured now; a changed window starts a new one (its key is another). */
    GlobalCounter counter(Action action) {
        GlobalLimit global = action.policy().global();
        if (global == null) {
            return null;
        }
        long window = global.window().toMillis();
        GlobalCounter counter = counters.get(action.name());
        if (counter == null || counter.windowMillis() != window) {
            counter = counters.compute(action.name(), (name, old) -> old != null && old.windowMillis() == window
                    ? old : new GlobalCounter(name, window));
        }
        return counter;
    }

    /**
     * The windows to add to the shared counters now: the current one of every configured action with a global
     * limit (read even without counts of its own, so that an idle instance knows the total before its first
     * request), and ended ones still holding counts not sent.
     */
    List<Pending> toSync() {
        long now = clock.millis();
        List<Pending> pending = new ArrayList<>();
        for (Action action : policies.current().actions().all()) {
            GlobalCounter counter = counter(action);
            if (counter != null) {
                for (GlobalCounter.Window window : counter.toSync(now)) {
                    pending.add(new Pending(counter, window, window.unsynced()));
                }
            }
        }
        return pending;
    }

    /** One window's count to add to its shared counter. */
    record Pending(GlobalCounter counter, GlobalCounter.Window window, long delta) {

        String key() {
            return "ag:{g}:w:" + counter.action() + ':' + counter.windowMillis() + ':' + window.start();
        }

        /** Long enough for every instance to read the window's total, also with clocks a little apart. */
        long ttlMillis() {
            return 2 * counter.windowMillis() + 10_000;
        }
    }

    private final class Checking implements DecisionStore {

        private final DecisionStore delegate;

        Checking(DecisionStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<Decision> decide(String userId, Action action, Spend spend) {
            GlobalCounter counter = spend == Spend.REFUND ? null : counter(action);
            if (counter == null) {
                return delegate.decide(userId, action, spend);
            }
            long now = clock.millis();
            long limit = action.policy().global().limit();
            GlobalCounter.Window admitted = counter.tryAdmit(now, limit);
            if (admitted == null) {
                long retry = counter.retryAfterMillis(now);
                return Mono.just(Decision.globallyLimited(limit, retry, UNKNOWN_SCORE));
            }
            return delegate.decide(userId, action, spend).doOnNext(decision -> {
                if (decision.outcome() != Outcome.ALLOWED && decision.outcome() != Outcome.EXEMPT) {
                    admitted.release();
                }
            }).doOnError(error -> admitted.release());
        }

        @Override
        public StoreStatus status() {
            return delegate.status();
        }
    }
}
