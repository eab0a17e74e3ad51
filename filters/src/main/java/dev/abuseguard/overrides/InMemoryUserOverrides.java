package dev.abuseguard.overrides;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.abuseguard.strategy.Quota;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The overrides of a single instance (no Redis): at most {@code maxUsers} users, each kept for
 * {@code retention} after its last change, as the Redis hash is.
 */
public final class InMemoryUserOverrides implements UserOverrides, LocalOverrides {

    private final Clock clock;
    private final Cache<String, UserOverride> users;

    public InMemoryUserOverrides(Clock clock, long maxUsers, Duration retention) {
        this.clock = clock;
        this.users = Caffeine.newBuilder().maximumSize(maxUsers)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(retention).executor(Runnable::run).build();
    }

    /** Read by every decision of the local store. */
    @Override
    public UserOverride get(String userId) {
        return users.getIfPresent(userId);
    }

    @Override
    public Mono<Void> exempt(String userId, String reason, Duration duration) {
        long until = duration == null ? -1 : clock.millis() + duration.toMillis();
        return change(userId, o -> new UserOverride(until, reason, o.tier(), o.limits())).then();
    }

    @Override
    public Mono<Boolean> liftExempt(String userId) {
        return change(userId, o -> new UserOverride(0, "", o.tier(), o.limits()))
                .map(prior -> prior.exemptUntil() != 0);
    }

    @Override
    public Flux<ExemptUser> exempted(int limit) {
        long now = clock.millis();
        return Flux.fromIterable(Map.copyOf(users.asMap()).entrySet())
                .filter(e -> e.getValue().exemptAt(now))
                .map(e -> new ExemptUser(e.getKey(), e.getValue().reason(), e.getValue().exemptUntil()))
                .take(limit);
    }

    @Override
    public Mono<Void> limit(String userId, String action, Quota quota) {
        return change(userId, o -> {
            Map<String, Quota> limits = new HashMap<>(o.limits());
            limits.put(action, quota);
            return new UserOverride(o.exemptUntil(), o.reason(), o.tier(), Map.copyOf(limits));
        }).then();
    }

    @Override
    public Mono<Boolean> clearLimit(String userId, String action) {
        return change(userId, o -> {
            Map<String, Quota> limits = new HashMap<>(o.limits());
            limits.remove(action);
            return new UserOverride(o.exemptUntil(), o.reason(), o.tier(), Map.copyOf(limits));
        }).map(prior -> prior.limits().containsKey(action));
    }

    @Override
    public Mono<Void> tier(String userId, String tier) {
        return change(userId, o -> new UserOverride(o.exemptUntil(), o.reason(), tier, o.limits())).then();
    }

    @Override
    public Mono<Boolean> clearTier(String userId) {
        return change(userId, o -> new UserOverride(o.exemptUntil(), o.reason(), null, o.limits()))
                .map(prior -> prior.tier() != null);
    }

    /** Applies the change atomically and answers the overrides before it. */
    private Mono<UserOverride> change(String userId, UnaryOperator<UserOverride> change) {
        return Mono.fromSupplier(() -> {
            UserOverride[] prior = new UserOverride[1];
            users.asMap().compute(userId, (id, current) -> {
                long now = clock.millis();
                UserOverride before = current == null ? UserOverride.NONE
                        : current.exemptUntil() > 0 && current.exemptUntil() <= now
                        ? new UserOverride(0, "", current.tier(), current.limits()) : current;
                prior[0] = before;
                UserOverride after = change.apply(before);
                return after.empty() ? null : after;
            });
            return prior[0];
        });
    }
}
