package dev.abuseguard.overrides;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code abuse-guard.exempt-users} and {@code abuse-guard.tiers.<tier>.<action>: {limit, window}}: bound apart
 * from the rest of {@code abuse-guard}, read at start-up.
 *
 * @param exemptUsers users forwarded without spending quota, never scored or blocked, at no cost in Redis
 * @param tiers       per tier, per action: the limit of the users an admin put in that tier
 */
@Validated
@ConfigurationProperties("abuse-guard")
public record OverridesProperties(
        @DefaultValue @NotNull List<@NotNull String> exemptUsers,
        @DefaultValue @NotNull Map<@Pattern(regexp = TIER_NAME, message = "tier names use lower-case letters, "
                + "digits, '_' and '-'") String, @NotNull Map<String, @Valid @NotNull TierLimit>> tiers) {

    public static final String TIER_NAME = "[a-z0-9_-]{1,32}";

    public OverridesProperties {
        exemptUsers = exemptUsers == null ? List.of() : List.copyOf(exemptUsers);
        tiers = tiers == null ? Map.of() : Map.copyOf(tiers);
    }

    /**
     * One tier's limit of one action.
     *
     * @param limit  how many requests the window admits
     * @param window the window
     */
    public record TierLimit(@Positive long limit, @NotNull Duration window) {
    }
}
