package dev.abuseguard.gateway.metrics;

import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.registry.AbuseRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code abuseguard.users.blocked} and {@code abuseguard.users.high_abuse}: counted from the shared store
 * every 15 s in the background, so a scrape never waits on Redis.
 */
@Component
class AbuseGauges implements SmartLifecycle {

    private static final Duration EVERY = Duration.ofSeconds(15);

    private final AbuseRegistry registry;
    private final LivePolicies policies;
    private final AtomicLong blocked = new AtomicLong();
    private final AtomicLong highAbuse = new AtomicLong();
    private Disposable poller;

    AbuseGauges(AbuseRegistry registry, LivePolicies policies, MeterRegistry meters) {
        this.registry = registry;
        this.policies = policies;
        Gauge.builder("abuseguard.users.blocked", blocked, AtomicLong::get)
                .description("Users blocked now (refreshed every 15 s)").register(meters);
        Gauge.builder("abuseguard.users.high_abuse", highAbuse, AtomicLong::get)
                .description("Users at or above the high-abuse threshold (refreshed every 15 s)").register(meters);
    }

    @Override
    public void start() {
        poller = Flux.interval(Duration.ZERO, EVERY).onBackpressureDrop()
                .concatMap(tick -> registry.stats(policies.current().settings().abuse().highAbuseThreshold())
                        .onErrorResume(unreachable -> Mono.empty()))
                .subscribe(stats -> {
                    blocked.set(stats.blocked());
                    highAbuse.set(stats.highAbuse());
                });
    }

    @Override
    public void stop() {
        poller.dispose();
    }

    @Override
    public boolean isRunning() {
        return poller != null && !poller.isDisposed();
    }
}
