package dev.abuseguard.policy;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code abuse-guard.spike.*}: an alert when an action's rate over the last {@code interval} is at least
 * {@code min-rate} (requests per second) and more than {@code factor} times its average over the trailing
 * {@code baseline}.
 *
 * @param enabled  whether spikes raise alerts at all
 * @param factor   how many times its trailing average an action's rate must exceed to be a spike
 * @param baseline how far back the trailing average reaches
 * @param interval how long a stretch the current rate is measured over
 * @param minRate  the least rate (requests per second) that can be a spike
 */
public record SpikeProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5") @DecimalMin("1") @DecimalMax("1000") double factor,
        @DefaultValue("10m") @NotNull Duration baseline,
        @DefaultValue("10s") @NotNull Duration interval,
        @DefaultValue("1") @DecimalMin("0") double minRate) {

    @AssertTrue(message = "interval must be at least 10ms and baseline at least one interval")
    public boolean isDurationsUsable() {
        return interval == null || baseline == null
                || (interval.toMillis() >= 10 && baseline.compareTo(interval) >= 0);
    }

    public long factorPermille() {
        return Math.round(factor * 1000);
    }

    public long minRateMilli() {
        return Math.round(minRate * 1000);
    }
}
