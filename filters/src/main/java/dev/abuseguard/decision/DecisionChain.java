package dev.abuseguard.decision;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The stores a decision passes through, in their one order:
 * observed (metrics, audit) → near cache of blocks → fail-over (breaker) → the shared store, or observed →
 * the local store when there is no shared one. The chain owns what the parts need to run: the warm-up of
 * the shared store, the subscription to block invalidations and the breaker's listener; {@link #close()}
 * ends them.
 */
public final class DecisionChain implements DecisionStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DecisionChain.class);

    private final DecisionStore head;
    private final BlockCachingDecisionStore nearCache;
    private final Disposable.Composite running = Disposables.composite();
    private volatile boolean closed;

    private DecisionChain(Builder builder) {
        DecisionStore deciding = builder.local;
        BlockCachingDecisionStore cache = null;
        if (builder.shared != null) {
            cache = new BlockCachingDecisionStore(
                    new FailoverDecisionStore(builder.shared, builder.local, builder.breaker, builder.meters),
                    builder.clock, builder.blockCacheSafety, builder.blockCacheSize);
            deciding = cache;
        }
        this.nearCache = cache;
        this.head = new ObservedDecisionStore(deciding, builder.events, builder.meters, builder.policies, builder.clock);
        if (builder.shared != null) {
            start(builder);
        }
    }

    private void start(Builder builder) {
        running.add(builder.invalidations.subscribe(this::invalidate,
                error -> log.warn("event=block_invalidations_stopped error=\"{}\"", error.toString())));
        builder.breaker.getEventPublisher().onStateTransition(event -> onBreakerTransition(event, builder.events));
        running.add(builder.shared.warmUp().subscribe(null, unreachable -> log.info(
                "event=redis_warm_up_failed error=\"{}\" (the breaker takes it from here)", unreachable.toString())));
    }

    private void invalidate(String userId) {
        if ("*".equals(userId)) {
            nearCache.forgetAll();
        } else {
            nearCache.forget(userId);
        }
    }

    /** Resilience4j keeps listeners for the breaker's life, so a closed chain ignores what it still hears. */
    private void onBreakerTransition(CircuitBreakerOnStateTransitionEvent event, AbuseEvents events) {
        if (closed) {
            return;
        }
        CircuitBreaker.State to = event.getStateTransition().getToState();
        log.warn("event=store_breaker transition={} deciding={}", event.getStateTransition(),
                to == CircuitBreaker.State.CLOSED ? "redis" : "fallback");
        if (to == CircuitBreaker.State.CLOSED) {
            nearCache.forgetAll(); // invalidations published while the shared store was away were lost
        }
        if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.CLOSED) {
            events.store(to == CircuitBreaker.State.OPEN ? EventType.FAILOVER : EventType.RECOVERY,
                    "breaker " + event.getStateTransition());
        }
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        return head.decide(userId, action, spend);
    }

    @Override
    public StoreStatus status() {
        return head.status();
    }

    @Override
    public void close() {
        closed = true;
        running.dispose();
    }

    /** @param local the store of this instance: the only one, or the fallback of a shared one */
    public static Builder builder(DecisionStore local, AbuseEvents events, LivePolicies policies,
                                  MeterRegistry meters, Clock clock) {
        return new Builder(local, events, policies, meters, clock);
    }

    public static final class Builder {
        private final DecisionStore local;
        private final AbuseEvents events;
        private final LivePolicies policies;
        private final MeterRegistry meters;
        private final Clock clock;
        private SharedDecisionStore shared;
        private CircuitBreaker breaker;
        private Flux<String> invalidations = Flux.never();
        private Duration blockCacheSafety = Duration.ofMinutes(1);
        private long blockCacheSize = 10_000;

        private Builder(DecisionStore local, AbuseEvents events, LivePolicies policies, MeterRegistry meters,
                        Clock clock) {
            this.local = Objects.requireNonNull(local, "local");
            this.events = Objects.requireNonNull(events, "events");
            this.policies = Objects.requireNonNull(policies, "policies");
            this.meters = Objects.requireNonNull(meters, "meters");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Decide in the shared store while the breaker lets calls through, else fall back per action. */
        public Builder shared(SharedDecisionStore store, CircuitBreaker breaker) {
            this.shared = Objects.requireNonNull(store, "shared store");
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /**
         * @param safety        the longest a cached block is trusted without news from the shared store
         * @param maxUsers      how many blocked users the cache holds at most
         * @param invalidations user ids (or {@code *} for all) whose cached blocks are out of date
         */
        public Builder blockCache(Duration safety, long maxUsers, Flux<String> invalidations) {
            this.blockCacheSafety = Objects.requireNonNull(safety, "safety");
            this.blockCacheSize = maxUsers;
            this.invalidations = Objects.requireNonNull(invalidations, "invalidations");
            return this;
        }

        public DecisionChain build() {
            return new DecisionChain(this);
        }
    }
}
