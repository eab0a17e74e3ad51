package dev.abuseguard.policy;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * One tier's limit of one action: {@code abuse-guard.tiers.<tier>.<action>}.
 *
 * @param limit  how many requests the window admits
 * @param window the window
 */
public record TierLimit(@Positive long limit, @NotNull Duration window) {
}
