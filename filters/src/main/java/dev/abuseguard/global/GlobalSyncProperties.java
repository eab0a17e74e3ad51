package dev.abuseguard.global;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code abuse-guard.global-sync-interval}: how often each instance adds its counts under global limits to the
 * shared counters and reads their totals (default 100 ms). Bound apart from the rest of {@code abuse-guard}, read at
 * start-up.
 *
 * @param globalSyncInterval how often each instance reconciles its counts under global limits with the others'
 */
@Validated
@ConfigurationProperties("abuse-guard")
public record GlobalSyncProperties(@DefaultValue("100ms") @NotNull Duration globalSyncInterval) {

    @AssertTrue(message = "global-sync-interval must be between 10ms and 1m")
    public boolean isGlobalSyncIntervalUsable() {
        return globalSyncInterval == null
                || (globalSyncInterval.toMillis() >= 10 && globalSyncInterval.compareTo(Duration.ofMinutes(1)) <= 0);
    }
}
