package dev.abuseguard.spike;

import dev.abuseguard.policy.SpikeProperties;
import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionListener;
import dev.abuseguard.logging.LogValue;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Watches every configured action for spikes: counts its decisions (the request path only increments a counter),
 * and every {@code interval} hands each action's count to its {@link SpikeDetector}. A spike that starts is an
 * audit event {@code spike} and a webhook alert, with the rates, once per episode: the instance that sees it first
 * claims the episode in Redis ({@link Claims}) for three intervals, so that the others, seeing the same traffic,
 * stay quiet, and so does a spike that ends and starts again within that time.
 */
public final class SpikeWatch implements DecisionListener, AutoCloseable {

    /** Who alerts for an episode: with several instances, only the first to claim it. */
    @FunctionalInterface
    public interface Claims {
        Claims ALWAYS = (action, ttlMillis) -> Mono.just(true);

        /**
         * @return whether this instance claimed the episode of {@code action}, which others see for {@code ttlMillis}
         */
        Mono<Boolean> claim(String action, long ttlMillis);
    }

    private static final Logger log = LoggerFactory.getLogger(SpikeWatch.class);

    private final SpikeProperties settings;
    private final LivePolicies policies;
    private final Clock clock;
    private final AbuseEvents events;
    private final Claims claims;
    /** Bounded by the configured actions: decisions name only those. */
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, SpikeDetector> detectors = new ConcurrentHashMap<>();
    /** When this instance last alerted per action: bounded by the configured actions. */
    private final Map<String, Long> alerted = new ConcurrentHashMap<>();
    private final Disposable running;

    public SpikeWatch(SpikeProperties settings, LivePolicies policies, Clock clock, AbuseEvents events, Claims claims) {
        this.settings = settings;
        this.policies = policies;
        this.clock = clock;
        this.events = events;
        this.claims = claims;
        tick(); // starts every configured action's clock
        this.running = !settings.enabled() ? null
                : Flux.interval(settings.interval(), settings.interval()).onBackpressureDrop()
                        .subscribe(n -> tick(), error -> log.warn("event=spike_watch_stopped error={}",
                                LogValue.quoted(error)));
    }

    @Override
    public void decided(String userId, Action action, Decision decision) {
        if (running != null) {
            counts.computeIfAbsent(action.name(), name -> new LongAdder()).increment();
        }
    }

    /** Hands every configured action's count since the last tick to its detector; alerts for the spikes begun. */
    public void tick() {
        long now = clock.millis();
        for (Action action : policies.current().actions().all()) {
            LongAdder counted = counts.get(action.name());
            long count = counted == null ? 0 : counted.sumThenReset();
            SpikeDetector detector = detectors.computeIfAbsent(action.name(), name -> new SpikeDetector(
                    settings.baseline().toMillis(), settings.factorPermille(), settings.minRateMilli()));
            SpikeDetector.Verdict verdict = detector.observe(count, now);
            if (verdict.change() == SpikeDetector.Change.STARTED) {
                String detail = describe(verdict);
                Long previous = alerted.get(action.name());
                if (previous != null && now - previous < claimMillis()) {
                    continue; // the same spike flapping at the edge of the factor: alerted already
                }
                alerted.put(action.name(), now);
                claims.claim(action.name(), claimMillis())
                        .onErrorReturn(true) // a duplicate alert beats none
                        .subscribe(claimed -> {
                            if (claimed) {
                                events.spike(action.name(), detail);
                            } else {
                                log.info("event=spike action={} detail={} alerted=elsewhere", action.name(),
                                        LogValue.quoted(detail));
                            }
                        });
            } else if (verdict.change() == SpikeDetector.Change.ENDED) {
                log.info("event=spike_ended action={} rate={} baseline={}", action.name(),
                        SpikeDetector.format(verdict.rateMilli()), SpikeDetector.format(verdict.baselineMilli()));
            }
        }
    }

    /** How long an alerted spike keeps others, and new spikes of the same action, quiet: three intervals. */
    private long claimMillis() {
        return 3 * settings.interval().toMillis();
    }

    /** Whether this instance watches the action with a whole baseline seen (spikes can be told from now). */
    public boolean ready(String action) {
        SpikeDetector detector = detectors.get(action);
        return detector != null && detector.ready();
    }

    /** Whether the action is in a spike episode as this instance sees it. */
    public boolean spiking(String action) {
        SpikeDetector detector = detectors.get(action);
        return detector != null && detector.spiking();
    }

    private String describe(SpikeDetector.Verdict verdict) {
        long tenths = verdict.baselineMilli() == 0 ? 0 : verdict.rateMilli() * 10 / verdict.baselineMilli();
        String times = verdict.baselineMilli() == 0 ? "against an" : tenths / 10 + "." + tenths % 10 + " times the";
        return "rate " + SpikeDetector.format(verdict.rateMilli()) + " over the last " + settings.interval()
                .toMillis() + " ms, " + times + " average of " + SpikeDetector.format(verdict.baselineMilli())
                + " over " + settings.baseline().toMillis() / 1000 + " s (factor " + settings.factor()
                + ", min-rate " + SpikeDetector.format(settings.minRateMilli()) + ", measured on one instance)";
    }

    @Override
    public void close() {
        if (running != null) {
            running.dispose();
        }
    }
}
