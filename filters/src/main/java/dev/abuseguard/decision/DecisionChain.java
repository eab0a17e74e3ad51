package dev.abuseguard.decision;

import dev.abuseguard.logging.LogValue;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The links a decision passes through, built here and nowhere else, in the order of {@link Link}: a decision
 * meets each link in turn until one answers it. The chain owns what the links need to run: the warm-up of the
 * shared store, the copies of the active blocks and of the overrides (loaded at start, kept current from the shared
 * store's news, reloaded every {@code resync} and after an outage, when the blocks decided locally meanwhile are
 * written back) and the breaker's listener; {@link #close()} ends them.
 */
public final class DecisionChain implements DecisionStore, AutoCloseable {

    /** The links in the order a decision meets them; docs/architecture.md's table lists the same (a test checks). */
    public enum Link {
        /** Counts every decision, hands violations and shadow refusals to the events, tells the listener. */
        OBSERVED("observed"),
        /** For an action in shadow mode, forwards a refusal as an allowed answer. */
        SHADOW_MODE("shadow mode"),
        /** An action's limit shared by all users, counted in memory. */
        GLOBAL_LIMITS("global limits"),
        /** The operator's word: configured exempt users, and the overrides of a store without its own. */
        OVERRIDES("overrides"),
        /** Answers a blocked user from this instance's copy of the shared store's blocks. Shared store only. */
        KNOWN_BLOCKS("known blocks"),
        /** Decides in the shared store through the breaker; on failure hands the decision to the links below. */
        FAIL_OVER("fail-over"),
        /** In front of the local fallback only: the copy of the shared store's overrides. Shared store only. */
        FALLBACK_OVERRIDES("fallback overrides"),
        /** Decides in this instance's memory: the only store, or the fallback of the shared one. */
        LOCAL_STORE("local store");

        private final String title;

        Link(String title) {
            this.title = title;
        }

        /** The link's name in the documentation. */
        public String title() {
            return title;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DecisionChain.class);

    private final DecisionStore head;
    private final List<Link> links;
    private final KnownBlocks known;
    private final SharedBlocks sharedBlocks;
    private final SharedCopy overridesCopy;
    private final DecisionEvents events;
    private final Disposable.Composite running = Disposables.composite();
    private volatile boolean closed;

    private DecisionChain(Builder builder) {
        this.events = builder.events;
        this.sharedBlocks = builder.sharedBlocks;
        this.overridesCopy = builder.overridesCopy;
        this.known = builder.shared == null ? null : new KnownBlocks(builder.clock, builder.maxBlocks);
        Map<Link, DecisionLink> chain = new EnumMap<>(Link.class); // composed in the enum's order, whatever the puts'
        chain.put(Link.OBSERVED, next -> new ObservedDecisionStore(next, builder.events, builder.meters,
                builder.policies, builder.clock, builder.listener));
        chain.put(Link.SHADOW_MODE, ShadowDecisionStore::new);
        chain.put(Link.GLOBAL_LIMITS, builder.globalLimits);
        chain.put(Link.OVERRIDES, builder.overrides);
        if (builder.shared != null) {
            chain.put(Link.KNOWN_BLOCKS, next -> new BlockCachingDecisionStore(next, known, builder.policies,
                    builder.clock));
            chain.put(Link.FAIL_OVER, fallback -> new FailoverDecisionStore(builder.shared, fallback, builder.breaker,
                    builder.meters));
            chain.put(Link.FALLBACK_OVERRIDES, builder.fallbackOverrides);
        }
        chain.put(Link.LOCAL_STORE, store -> builder.local);
        List<Link> order = List.copyOf(chain.keySet());
        DecisionStore store = null;
        for (int i = order.size() - 1; i >= 0; i--) {
            store = chain.get(order.get(i)).around(store);
        }
        this.head = store;
        this.links = order;
        if (builder.shared != null) {
            start(builder);
        }
    }

    /** The links this chain was built with, in the order a decision meets them. */
    public List<Link> links() {
        return links;
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
        if (to == CircuitBreaker.State.OPEN) {
            events.storeFailedOver("breaker " + event.getStateTransition());
        } else if (to == CircuitBreaker.State.CLOSED) {
            events.storeRecovered("breaker " + event.getStateTransition());
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

    /**
     * @param local  the store of this instance: the only one, or the fallback of a shared one
     * @param events told of violations, shadow refusals, write-backs and fail-overs
     */
    public static Builder builder(DecisionStore local, DecisionEvents events, LivePolicies policies,
                                  MeterRegistry meters, Clock clock) {
        return new Builder(local, events, policies, meters, clock);
    }

    /** One method per link that takes a part from outside; the links of this package need none. */
    public static final class Builder {
        private final DecisionStore local;
        private final DecisionEvents events;
        private final LivePolicies policies;
        private final MeterRegistry meters;
        private final Clock clock;
        private DecisionListener listener = DecisionListener.NONE;
        private DecisionLink globalLimits = DecisionLink.NONE;
        private DecisionLink overrides = DecisionLink.NONE;
        private SharedDecisionStore shared;
        private CircuitBreaker breaker;
        private SharedBlocks sharedBlocks;
        private Duration resync = Duration.ofMinutes(1);
        private long maxBlocks = 100_000;
        private DecisionLink fallbackOverrides = DecisionLink.NONE;
        private SharedCopy overridesCopy = SharedCopy.NONE;

        private Builder(DecisionStore local, DecisionEvents events, LivePolicies policies, MeterRegistry meters,
                        Clock clock) {
            this.local = Objects.requireNonNull(local, "local");
            this.events = Objects.requireNonNull(events, "events");
            this.policies = Objects.requireNonNull(policies, "policies");
            this.meters = Objects.requireNonNull(meters, "meters");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** {@link Link#OBSERVED}: told of every decision (not of refunds), e.g. to count trends. */
        public Builder listener(DecisionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** {@link Link#GLOBAL_LIMITS}: answers a request over an action's global limit. */
        public Builder globalLimits(DecisionLink link) {
            this.globalLimits = Objects.requireNonNull(link, "global limits");
            return this;
        }

        /** {@link Link#OVERRIDES}: the operator's overrides, answered before the known blocks. */
        public Builder overrides(DecisionLink link) {
            this.overrides = Objects.requireNonNull(link, "overrides");
            return this;
        }

        /**
         * {@link Link#KNOWN_BLOCKS} and {@link Link#FAIL_OVER}: decide in the shared store while the breaker lets
         * calls through, else fall back per action; its blocks are copied here and kept current.
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

        /**
         * {@link Link#FALLBACK_OVERRIDES}: what the local store decides by while the shared store is away; the link
         * puts the copy of the shared store's overrides in front of the local store (only there, so a decision
         * the shared store makes never reads it), and {@code copy} is kept current with the copy of the blocks.
         */
        public Builder fallbackOverrides(DecisionLink link, SharedCopy copy) {
            this.fallbackOverrides = Objects.requireNonNull(link, "fallback overrides");
            this.overridesCopy = Objects.requireNonNull(copy, "copy");
            return this;
        }

        public DecisionChain build() {
            return new DecisionChain(this);
        }
    }
}
