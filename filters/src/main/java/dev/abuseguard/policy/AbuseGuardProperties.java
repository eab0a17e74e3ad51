package dev.abuseguard.policy;

import dev.abuseguard.abuse.ScoringRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Everything under {@code abuse-guard} in routes.yml: immutable, validated when bound. */
@Validated
@ConfigurationProperties("abuse-guard")
public record AbuseGuardProperties(
        @DefaultValue @Valid @NotNull Identity identity,
        @DefaultValue("X-Action") @NotBlank String actionHeader,
        @DefaultValue @NotNull Map<@jakarta.validation.constraints.Pattern(regexp = ACTION_NAME,
                message = "action names use lower-case letters, digits, '_' and '-'") String,
                @Valid @NotNull ActionPolicy> actions,
        @DefaultValue @Valid @NotNull Abuse abuse,
        @DefaultValue @Valid @NotNull Store store,
        @DefaultValue @Valid @NotNull Audit audit,
        @DefaultValue @Valid @NotNull Alerts alerts,
        @DefaultValue @Valid @NotNull Admin admin,
        @DefaultValue @Valid @NotNull DiscordProperties discord,
        @DefaultValue @Valid @NotNull Headers headers,
        @DefaultValue @Valid @NotNull Trends trends) {

    public static final String ACTION_NAME = "[a-z0-9_-]{1,64}";

    public AbuseGuardProperties {
        actions = actions == null ? Map.of() : Map.copyOf(actions);
    }

    /**
     * How the user is identified. {@code trusted-proxies}: the CIDRs whose {@code X-Forwarded-For} names the
     * client on a client-ip route (empty: the connection's own address always).
     */
    public record Identity(
            @DefaultValue("X-User-Id") @NotBlank String header,
            @DefaultValue("^[A-Za-z0-9_.@:-]{1,128}$") @NotBlank String pattern,
            @DefaultValue List<String> trustedProxies) {

        public Identity {
            trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
            TrustedProxies.parse(trustedProxies); // names the entry that is wrong
        }

        public TrustedProxies proxies() {
            return TrustedProxies.parse(trustedProxies);
        }

        @AssertTrue(message = "pattern must be a valid regular expression")
        public boolean isPatternValid() {
            try {
                Pattern.compile(pattern);
                return true;
            } catch (PatternSyntaxException | NullPointerException e) {
                return false;
            }
        }
    }

    /** Response headers: the IETF RateLimit-Policy / RateLimit fields beside the X-RateLimit-* ones. */
    public record Headers(@DefaultValue("true") boolean ietf) {
    }

    /**
     * Per-minute counts by action and outcome: each instance adds its counts to Redis every
     * {@code flush-interval} in one command; kept {@code retention} (at most 24 h are served). Each instance ranks
     * at most {@code max-offenders-per-minute} users a minute (the rest are counted, not ranked).
     */
    public record Trends(
            @DefaultValue("5s") @NotNull Duration flushInterval,
            @DefaultValue("25h") @NotNull Duration retention,
            @DefaultValue("10000") @Min(1) int maxOffendersPerMinute) {

        @AssertTrue(message = "flush-interval must be at least 100ms and retention at least 1m")
        public boolean isDurationsUsable() {
            return flushInterval != null && retention != null && flushInterval.toMillis() >= 100
                    && retention.toMinutes() >= 1;
        }
    }

    /** Abuse scoring, as in the seed. */
    public record Abuse(
            @DefaultValue("10") @Positive long points,
            @DefaultValue("0.5") @DecimalMin("0") double repeatMultiplier,
            @DefaultValue("1h") @NotNull Duration repeatWindow,
            @DefaultValue("100") @Positive long blockThreshold,
            @DefaultValue("50") @Positive long highAbuseThreshold,
            @DefaultValue("100000") @Positive long maxTrackedUsers,
            @DefaultValue("0s") @NotNull Duration blockDuration,
            @DefaultValue("30d") @NotNull Duration retention,
            @DefaultValue("365d") @NotNull Duration blockRetention,
            @DefaultValue("100") @Min(1) @Max(10_000) int historySize,
            @DefaultValue @Valid @NotNull Decay decay) {

        @AssertTrue(message = "repeat-window, retention and block-retention must be at least 1ms, block-duration "
                + "not negative")
        public boolean isDurationsUsable() {
            return repeatWindow != null && retention != null && blockDuration != null && blockRetention != null
                    && repeatWindow.toMillis() >= 1 && retention.toMillis() >= 1 && blockRetention.toMillis() >= 1
                    && !blockDuration.isNegative();
        }

        public ScoringRules rules() {
            return new ScoringRules(points, Math.round(repeatMultiplier * 100), repeatWindow.toMillis(),
                    blockThreshold, blockDuration.toMillis(), retention.toMillis(), historySize,
                    decay.halfLife().toMillis(), blockRetention.toMillis());
        }
    }

    /** Score decay: off (0s) by default, as in the seed. */
    public record Decay(@DefaultValue("0s") @NotNull Duration halfLife) {

        @AssertTrue(message = "half-life must not be negative")
        public boolean isHalfLifeUsable() {
            return halfLife == null || !halfLife.isNegative();
        }
    }

    /** The audit trail: a Redis stream (or memory) of bounded length. */
    public record Audit(@DefaultValue("10000") @Min(100) int maxLength) {
    }

    /** Alerts on new blocks, POSTed to a webhook (Discord-compatible body); off without a URL. */
    public record Alerts(
            URI webhookUrl,
            @DefaultValue("5") @Min(1) int maxAttempts,
            @DefaultValue("500ms") @NotNull Duration initialBackoff,
            @DefaultValue("1000") @Min(1) int queueSize,
            @DefaultValue("5s") @NotNull Duration timeout) {
    }

    /**
     * The admin API's bearer token ({@code ABUSE_GUARD_ADMIN_TOKEN}); without one every admin call is refused.
     * {@code label} names the token's holder in the audit trail.
     */
    public record Admin(@DefaultValue("") String token, @DefaultValue("admin") @NotBlank String label) {

        @Override
        public String toString() {
            return "Admin[token=" + (token.isEmpty() ? "" : "***") + ", label=" + label + "]";
        }
    }

    /** The stores behind the decisions. */
    public record Store(@DefaultValue @Valid @NotNull Memory memory, @DefaultValue @Valid @NotNull Redis redis) {
    }

    /** The in-memory store: decides when Redis is absent or down. */
    public record Memory(@DefaultValue("100000") @Positive long maxUsers) {
    }

    /**
     * The Redis store and its circuit breaker. Resilience4j's own defaults (100 calls, 60 s open) are far
     * too slow for a store that sits on every request. {@code block-cache-ttl}: how often this instance
     * reads its copy of the active blocks afresh from Redis, so news of a block or unblock that was lost
     * lasts at most that long. {@code event-loop-lanes}: one
     * decision connection per event loop of the HTTP server, on that loop (off: one connection on Lettuce's
     * own threads, as for everything else).
     */
    public record Redis(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean eventLoopLanes,
            @DefaultValue("250ms") @NotNull Duration timeout,
            @DefaultValue("1s") @NotNull Duration connectTimeout,
            @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
            @DefaultValue("20") @Min(1) int slidingWindowSize,
            @DefaultValue("5") @Min(1) int minimumNumberOfCalls,
            @DefaultValue("10s") @NotNull Duration waitInOpenState,
            @DefaultValue("3") @Min(1) int permittedCallsInHalfOpenState,
            @DefaultValue("60s") @NotNull Duration blockCacheTtl) {
    }
}
