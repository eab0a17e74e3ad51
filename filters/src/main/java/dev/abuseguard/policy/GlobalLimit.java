package dev.abuseguard.policy;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * {@code abuse-guard.actions.<name>.global: {limit, window}}: at most {@code limit} requests of the action are
 * forwarded per {@code window} (aligned to the epoch), all users and all instances together.
 */
public record GlobalLimit(@Positive long limit, @NotNull Duration window) {

    @AssertTrue(message = "window must be at least 1ms")
    public boolean isWindowUsable() {
        return window == null || window.toMillis() >= 1;
    }
}
