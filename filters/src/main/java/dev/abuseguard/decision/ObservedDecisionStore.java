package dev.abuseguard.decision;

import dev.abuseguard.abuse.AbuseScoring;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import reactor.core.publisher.Mono;

/**
 * Counts every decision by action, outcome (in shadow mode, what enforcing would have answered) and mode, and
 * hands each violation to the audit trail (and a new block to the alerts), each shadow refusal to its log.
 * Sits around the store that decides; adds nothing to the allowed path but a counter.
 */
final class ObservedDecisionStore implements DecisionStore {

    private final DecisionStore delegate;
    private final DecisionEvents events;
    private final MeterRegistry meters;
    private final LivePolicies policies;
    private final Clock clock;
    /** Per action, a counter per outcome and mode (index {@code outcome * 2 + shadow}), made on first use. */
    private final Map<String, AtomicReferenceArray<Counter>> counters = new ConcurrentHashMap<>();
    private final DecisionListener listener;

    ObservedDecisionStore(DecisionStore delegate, DecisionEvents events, MeterRegistry meters,
                          LivePolicies policies, Clock clock, DecisionListener listener) {
        this.listener = listener;
        this.delegate = delegate;
        this.events = events;
        this.meters = meters;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        Mono<Decision> decided = delegate.decide(userId, action, spend);
        return spend == Spend.REFUND ? decided : decided.doOnNext(decision -> observe(userId, action, decision));
    }

    private void observe(String userId, Action action, Decision decision) {
        Outcome decided = decision.shadowOf() != null ? decision.shadowOf() : decision.outcome();
        counter(action, decided).increment();
        listener.decided(userId, action, decision);
        // a global limit's refusal is no violation: the user did nothing wrong
        if (decision.shadowOf() != null) {
            events.shadowViolation(userId, action.name(), decided.name().toLowerCase(Locale.ROOT),
                    decision.abuseScore());
        } else if (decision.outcome() == Outcome.RATE_LIMITED && decision.scope() == Scope.USER) {
            long blockedUntil = AbuseScoring.blockEnd(decision.abuseScore(), clock.millis(), decision.blockMillis(),
                    policies.rules());
            events.violation(userId, action.name(), decision.abuseScore(), decision.newlyBlocked(), blockedUntil);
        }
    }

    private Counter counter(Action action, Outcome outcome) {
        boolean shadow = action.policy().shadow();
        AtomicReferenceArray<Counter> byOutcome = counters.get(action.name());
        if (byOutcome == null) {
            byOutcome = counters.computeIfAbsent(action.name(),
                    name -> new AtomicReferenceArray<>(Outcome.values().length * 2));
        }
        int index = outcome.ordinal() * 2 + (shadow ? 1 : 0);
        Counter counter = byOutcome.get(index);
        if (counter == null) { // the registry hands out one counter per name and tags, whoever asks first
            counter = Counter.builder("abuseguard.decisions")
                    .description("Decisions by action and outcome; shadow: not enforced")
                    .tag("action", action.name()).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .tag("shadow", Boolean.toString(shadow)).register(meters);
            byOutcome.set(index, counter);
        }
        return counter;
    }

    @Override
    public StoreStatus status() {
        return delegate.status();
    }
}
