package dev.abuseguard.gateway.health;

import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.StoreStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code abuseGuardStore} in /actuator/health: which store decides. While Redis is down the gateway
 * still decides (from memory, or by each action's on-store-failure), so it reports {@code DEGRADED},
 * which answers 200: a gateway that fails over is alive and ready.
 */
@Component("abuseGuardStore")
class DecisionStoreHealthIndicator implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "the shared store is unreachable; actions fall back");

    private final DecisionStore store;

    DecisionStoreHealthIndicator(DecisionStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        StoreStatus status = store.status();
        Health.Builder health = Health.status(status.storeDeciding() ? Status.UP : DEGRADED);
        if (status.reason() != null) {
            health.withDetail("reason", status.reason());
        }
        return health
                .withDetail("store", status.store())
                .withDetail("breaker", status.breaker())
                .withDetail("deciding", status.storeDeciding() ? status.store()
                        : "on-store-failure (local memory, allow or deny)")
                .build();
    }
}
