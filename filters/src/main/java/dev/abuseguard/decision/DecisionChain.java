package dev.abuseguard.decision;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.logging.LogValue;
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
 * observed (metrics, audit) → shadow mode → overrides (with the global limits) → known blocks → fail-over
 * (breaker) → the shared store, or on fallback → the copy of the shared store's overrides → the local store; or
 * observed → shadow mode → overrides → the local store when there is no shared one. The chain owns what the parts
 * need to run: the warm-up of the shared store, the copies of the active blocks and of the overrides (loaded at
 * start, kept current from the shared store's news, reloaded every {@code resync} and after an outage, when the
 * blocks decided locally meanwhile are written back) and the breaker's listener; {@link #close()} ends them.
 */
public final class DecisionChain implements DecisionStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DecisionChain.class);

    private final DecisionStore head;
    private final KnownBlocks known;
    private final SharedBlocks sharedBlocks;
    private final SharedCopy overridesCopy;
    private final AbuseEvents events;
    private final Disposable.Composite running = Disposables.composite();
    private volatile boolean closed;

    private DecisionChain(Builder builder) {
        DecisionStore deciding = builder.local;
        this.events = builder.events;
        this.sharedBlocks = builder.sharedBlocks;
        this.overridesCopy = builder.overridesCopy;
        this.known = builder.shared == null ? null : new KnownBlocks(builder.clock, builder.maxBlocks);
        if (builder.shared != null) {
            deciding = new BlockCachingDecisionStore(
                    new FailoverDecisionStore(builder.shared, builder.fallbackOverrides.apply(builder.local),
                            builder.breaker, builder.meters),
                    known, builder.policies, builder.clock);
        }
        deciding = new ShadowDecisionStore(builder.overrides.apply(deciding));
        this.head = new ObservedDecisionStore(deciding, builder.events, builder.meters, builder.policies, builder.clock,
                builder.listener);
        if (builder.shared != null) {
            start(builder);
        }
    }

    private void start(Builder builder) {
        running.add(sharedBlocks.news().subscribe(this::hear,
                error -> log.warn("event=block_news_stopped error={}", LogValue.quoted(error))));
        running.add(overridesCopy.follow().subscribe(null,
                error -> log.warn("event=overrides_news_stopped error={}", LogValue.quoted(error))));
        builder.breaker.getEventPublisher().onStateTransition(this::onBreakerTransition);
        running.add(builder.shared.warmUp().subscribe(null, unreachable -> log.info(
                "event=redis_warm_up_failed error={} (the breaker takes it from here)", LogValue.quoted(unreachable))));
        running.add(Flux.interval(Duration.ZERO, builder.resync).onBackpressureDrop()
                .concatMap(tick -> head.status().storeDeciding() ? reload() : Mono.empty())
                .subscribe());
    }

    private void hear(SharedBlocks.News news) {
        if (news.block() != null) {
            known.block(news.userId(), news.block());
        } else if (SharedBlocks.News.EVERYONE.equals(news.userId())) {
            known.clearAll();
        } else {
            known.clear(news.userId());
        }
    }

    /** Replaces the copies of blocks and overrides with the shared store's; a failed read waits for the next. */
    private Mono<Void> reload() {
        long generation = known.beginRead();
        return sharedBlocks.active().doOnNext(active -> known.replaceAll(active, generation)).then()
                .onErrorResume(error -> {
                    log.debug("event=blocks_reload_failed error={}", LogValue.quoted(error));
                    return Mono.empty();
                })
                .then(Mono.defer(overridesCopy::reload));
    }

    /**
     * After an outage: the blocks decided locally go to the shared store, then the copies are read afresh. A block
     * the shared store refuses (it knows a longer one, or exempts the user) is neither audited nor announced: the
     * reload takes it out of this instance's copy too.
     */
    private void recover() {
        running.add(Flux.fromIterable(known.takeDecidedLocally().entrySet())
                .concatMap(entry -> sharedBlocks.record(entry.getKey(), entry.getValue())
                        .doOnNext(written -> {
                            if (written) {
                                events.blockedWhileAway(entry.getKey(), entry.getValue().score(),
                                        entry.getValue().until());
                            } else {
                                log.info("event=local_block_refused user={} (the shared store knows a longer "
                                        + "block or exempts the user)", LogValue.token(entry.getKey()));
                            }
                        })
                        .onErrorResume(error -> {
                            known.decidedLocally(entry.getKey(), entry.getValue()); // the next recovery tries again
                            log.warn("event=local_block_not_written user={} error={}", LogValue.token(entry.getKey()),
                                    LogValue.quoted(error));
                            return Mono.empty();
                        }))
                .then(Mono.defer(this::reload))
                .subscribe());
    }

    /** Resilience4j keeps listeners for the breaker's life, so a closed chain ignores what it still hears. */
    private void onBreakerTransition(CircuitBreakerOnStateTransitionEvent event) {
        if (closed) {
            return;
        }
        CircuitBreaker.State to = event.getStateTransition().getToState();
        log.warn("event=store_breaker transition={} deciding={}", event.getStateTransition(),
                to == CircuitBreaker.State.CLOSED ? "redis" : "fallback");
        if (to == CircuitBreaker.State.CLOSED) {
            recover(); // news published while the shared store was away were lost
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
        private SharedBlocks sharedBlocks;
        private Duration resync = Duration.ofMinutes(1);
        private long maxBlocks = 100_000;
        private java.util.function.UnaryOperator<DecisionStore> overrides = java.util.function.UnaryOperator.identity();
        private java.util.function.UnaryOperator<DecisionStore> fallbackOverrides =
                java.util.function.UnaryOperator.identity();
        private SharedCopy overridesCopy = SharedCopy.NONE;
        private ObservedDecisionStore.Listener listener = ObservedDecisionStore.Listener.NONE;

        private Builder(DecisionStore local, AbuseEvents events, LivePolicies policies, MeterRegistry meters,
                        Clock clock) {
            this.local = Objects.requireNonNull(local, "local");
            this.events = Objects.requireNonNull(events, "events");
            this.policies = Objects.requireNonNull(policies, "policies");
            this.meters = Objects.requireNonNull(meters, "meters");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /**
         * Decide in the shared store while the breaker lets calls through, else fall back per action; its
         * blocks are copied here and kept current.
         */
        public Builder shared(SharedDecisionStore store, CircuitBreaker breaker, SharedBlocks blocks) {
            this.shared = Objects.requireNonNull(store, "shared store");
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            this.sharedBlocks = Objects.requireNonNull(blocks, "shared blocks");
            return this;
        }

        /**
         * @param resync    how often the copy of the blocks is read afresh from the shared store (a lost piece of
         *                  news lasts at most this long)
         * @param maxBlocks how many blocked users the copy holds at most
         */
        public Builder blocks(Duration resync, long maxBlocks) {
            this.resync = Objects.requireNonNull(resync, "resync");
            this.maxBlocks = maxBlocks;
            return this;
        }

        /** The operator's overrides, answered before the known blocks (an exempt user is never blocked). */
        public Builder overrides(java.util.function.UnaryOperator<DecisionStore> around) {
            this.overrides = Objects.requireNonNull(around, "overrides");
            return this;
        }

        /**
         * What the local store decides by while the shared store is away: {@code around} puts the copy of the
         * shared store's overrides in front of the local store (only there, so a decision the shared store makes
         * never reads it), and {@code copy} is kept current with the copy of the blocks.
         */
        public Builder fallbackOverrides(java.util.function.UnaryOperator<DecisionStore> around, SharedCopy copy) {
            this.fallbackOverrides = Objects.requireNonNull(around, "around");
            this.overridesCopy = Objects.requireNonNull(copy, "copy");
            return this;
        }

        /** Told of every decision (not of refunds), e.g. to count trends; must not block or do I/O. */
        public Builder listener(ObservedDecisionStore.Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public DecisionChain build() {
            return new DecisionChain(this);
        }
    }
}
