package dev.abuseguard.policy;

import dev.abuseguard.abuse.ScoringRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code abuse-guard} in routes.yml, in one immutable record validated when bound: each component
 * is a key, each nested record the keys below it. Boot's binder refuses a key no component binds
 * ({@code ignoreUnknownFields = false}). A configuration refresh swaps {@link #live()} (the policies the filters
 * read through {@link LivePolicies}); the other components are read once, at start-up, and a refresh that changes
 * them says so ({@link #startUpChangesIn}). The {@code @param} lines are what an IDE shows for each property
 * (spring-configuration-metadata.json).
 *
 * @param identity           how the user of a request is identified
 * @param actionHeader       the request header that picks one of the route's actions
 * @param actions            the limit of each action, by action name (lower-case letters, digits, '_' and '-')
 * @param abuse              abuse scoring: points per violation, the block threshold, decay, retention
 * @param discord            the Discord interactions endpoint (route filter DiscordInteractions)
 * @param headers            which rate-limit headers answers carry
 * @param shadow             shadow mode for every action: decided and spent as if enforced, always forwarded
 * @param store              the stores behind the decisions (read at start-up)
 * @param audit              the audit trail (read at start-up)
 * @param alerts             webhook alerts on new blocks (read at start-up)
 * @param admin              the admin API's switch and bearer token (read at start-up)
 * @param trends             per-minute counts by action and outcome (read at start-up)
 * @param exemptUsers        users forwarded without spending quota, never scored or blocked, at no cost in Redis
 *                           (read at start-up)
 * @param tiers              per tier, per action: the limit of the users an admin put in that tier (read at
 *                           start-up)
 * @param globalSyncInterval how often each instance reconciles its counts under global limits with the others'
 *                           (read at start-up)
 * @param spike              alerts on a sudden rise of an action's rate (read at start-up)
 * @param server             how long the server waits for a request's head and body (read at start-up)
 */
@Validated
@ConfigurationProperties(prefix = "abuse-guard", ignoreUnknownFields = false)
public record AbuseGuardProperties(
        @DefaultValue @Valid @NotNull Identity identity,
        @DefaultValue("X-Action") @NotBlank String actionHeader,
        // qualified: java.util.regex.Pattern is the Pattern this file imports
        @DefaultValue @NotNull Map<@jakarta.validation.constraints.Pattern(regexp = ACTION_NAME,
                message = "action names use lower-case letters, digits, '_' and '-'") String,
                @Valid @NotNull ActionPolicy> actions,
        @DefaultValue @Valid @NotNull Abuse abuse,
        @DefaultValue @Valid @NotNull @NestedConfigurationProperty DiscordProperties discord,
        @DefaultValue @Valid @NotNull Headers headers,
        @DefaultValue("false") boolean shadow,
        @DefaultValue @Valid @NotNull @NestedConfigurationProperty StoreProperties store,
        @DefaultValue @Valid @NotNull Audit audit,
        @DefaultValue @Valid @NotNull Alerts alerts,
        @DefaultValue @Valid @NotNull Admin admin,
        @DefaultValue @Valid @NotNull Trends trends,
        @DefaultValue @NotNull List<@NotNull String> exemptUsers,
        // qualified: java.util.regex.Pattern is the Pattern this file imports
        @DefaultValue @NotNull Map<@jakarta.validation.constraints.Pattern(regexp = TIER_NAME,
                message = "tier names use lower-case letters, digits, '_' and '-'") String,
                @NotNull Map<String, @Valid @NotNull TierLimit>> tiers,
        @DefaultValue("100ms") @NotNull Duration globalSyncInterval,
        @DefaultValue @Valid @NotNull @NestedConfigurationProperty SpikeProperties spike,
        @DefaultValue @Valid @NotNull @NestedConfigurationProperty ServerTimeLimitsProperties server) {

    public static final String ACTION_NAME = "[a-z0-9_-]{1,64}";
    public static final String TIER_NAME = "[a-z0-9_-]{1,32}";

    /** The components a refresh does not apply, by property name. */
    private static final Map<String, Function<AbuseGuardProperties, Object>> READ_AT_START_UP = startUpComponents();

    public AbuseGuardProperties {
        actions = actions == null ? Map.of() : Map.copyOf(actions);
        exemptUsers = exemptUsers == null ? List.of() : List.copyOf(exemptUsers);
        tiers = tiers == null ? Map.of() : Map.copyOf(tiers);
    }

    /** What a configuration refresh changes while the gateway runs. */
    public LiveSettings live() {
        return new LiveSettings(identity, actionHeader, actions, abuse, discord, headers, shadow);
    }

    /**
     * The names of the settings read at start-up only whose value differs in {@code next}: a refresh to
     * {@code next} leaves them as they are until the instance restarts.
     */
    public List<String> startUpChangesIn(AbuseGuardProperties next) {
        return READ_AT_START_UP.entrySet().stream()
                .filter(read -> !Objects.equals(read.getValue().apply(this), read.getValue().apply(next)))
                .map(Map.Entry::getKey).toList();
    }

    /** The names of the settings read at start-up only: every component that {@link #live()} leaves out. */
    public static Set<String> readAtStartUp() {
        return READ_AT_START_UP.keySet();
    }

    private static Map<String, Function<AbuseGuardProperties, Object>> startUpComponents() {
        Map<String, Function<AbuseGuardProperties, Object>> components = new LinkedHashMap<>();
        components.put("store", AbuseGuardProperties::store);
        components.put("audit", AbuseGuardProperties::audit);
        components.put("alerts", AbuseGuardProperties::alerts);
        components.put("admin", AbuseGuardProperties::admin);
        components.put("trends", AbuseGuardProperties::trends);
        components.put("exempt-users", AbuseGuardProperties::exemptUsers);
        components.put("tiers", AbuseGuardProperties::tiers);
        components.put("global-sync-interval", AbuseGuardProperties::globalSyncInterval);
        components.put("spike", AbuseGuardProperties::spike);
        components.put("server", AbuseGuardProperties::server);
        return Collections.unmodifiableMap(components);
    }

    @AssertTrue(message = "global-sync-interval must be between 10ms and 1m")
    public boolean isGlobalSyncIntervalUsable() {
        return globalSyncInterval == null
                || (globalSyncInterval.toMillis() >= 10 && globalSyncInterval.compareTo(Duration.ofMinutes(1)) <= 0);
    }

    /**
     * How the user is identified.
     *
     * @param header         the request header that carries the user id
     * @param pattern        the regular expression a user id must match (braces, white space, control characters
     *                       and '~' are refused whatever it says)
     * @param trustedProxies the proxies (CIDRs or addresses) whose X-Forwarded-For names the client on a
     *                       client-ip route; empty: the connection's own address always
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

    /**
     * Response headers.
     *
     * @param ietf whether answers carry the IETF RateLimit-Policy and RateLimit fields beside the X-RateLimit-* ones
     */
    public record Headers(@DefaultValue("true") boolean ietf) {
    }

    /**
     * Per-minute counts by action and outcome: each instance adds its counts to Redis every
     * {@code flush-interval} in one command; kept {@code retention} (at most 24 h are served). Each instance ranks
     * at most {@code max-offenders-per-minute} users a minute (the rest are counted, not ranked).
     *
     * @param flushInterval         how often this instance adds its counts to Redis (at least 100ms)
     * @param retention             how long the per-minute counts are kept (at least 1m)
     * @param maxOffendersPerMinute the most users a minute this instance ranks among the top offenders
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

    /**
     * Abuse scoring: each 429 adds points * (1 + repeat-multiplier * k), k being the user's violations in the
     * preceding repeat-window; at block-threshold the user is blocked from every action.
     *
     * @param points             the score of a first violation
     * @param repeatMultiplier   how much more each earlier violation within repeat-window adds
     * @param repeatWindow       how far back earlier violations count
     * @param blockThreshold     the score at which a user is blocked from every action
     * @param highAbuseThreshold the score from which the admin API and dashboard list a user as high abuse
     * @param maxTrackedUsers    how many users the admin's views and indexes keep (lowest scores leave first)
     * @param blockDuration      how long an automatic block lasts; 0: until an admin lifts it
     * @param retention          how long a user's abuse record is kept after the last violation
     * @param blockRetention     how long the record of a ban or a block until lifted is kept without a request
     * @param historySize        how many violations are kept per user
     * @param decay              score decay
     * @param blockDurationFactor growing bans: each new automatic block lasts this many times the one before (1: off)
     * @param maxBlockDuration   the longest a growing block lasts
     */
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
            @DefaultValue @Valid @NotNull Decay decay,
            @DefaultValue("1") @DecimalMin("1") @DecimalMax("100") double blockDurationFactor,
            @DefaultValue("30d") @NotNull Duration maxBlockDuration) {

        @AssertTrue(message = "max-block-duration must be at least 1ms and at most 3650d, and with a "
                + "block-duration-factor above 1 not shorter than block-duration")
        public boolean isMaxBlockDurationUsable() {
            return maxBlockDuration == null || blockDuration == null
                    || (maxBlockDuration.toMillis() >= 1 && maxBlockDuration.toMillis() <= ScoringRules.MAX_BLOCK_MILLIS
                    && (blockDurationFactor <= 1 || maxBlockDuration.compareTo(blockDuration) >= 0));
        }

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
                    decay.halfLife().toMillis(), blockRetention.toMillis(), Math.round(blockDurationFactor * 100),
                    maxBlockDuration.toMillis());
        }
    }

    /**
     * Score decay: off (0s) by default, as in the seed.
     *
     * @param halfLife how long after the last violation a score halves; 0: scores do not decay
     */
    public record Decay(@DefaultValue("0s") @NotNull Duration halfLife) {

        @AssertTrue(message = "half-life must not be negative")
        public boolean isHalfLifeUsable() {
            return halfLife == null || !halfLife.isNegative();
        }
    }

    /**
     * The audit trail: a Redis stream (or memory) of bounded length.
     *
     * @param maxLength the most events the trail keeps (at least 100)
     */
    public record Audit(@DefaultValue("10000") @Min(100) int maxLength) {
    }

    /**
     * Alerts on new blocks, POSTed to a webhook (Discord-compatible body); off without a URL.
     *
     * @param webhookUrl     where a new block is POSTed (a Discord webhook accepts the body as is); unset: no alerts
     * @param maxAttempts    how often one alert is tried before it is dropped
     * @param initialBackoff the wait before the second try, doubling for each later one
     * @param queueSize      how many alerts may wait to be sent; more are dropped
     * @param timeout        the longest one attempt may take
     */
    public record Alerts(
            URI webhookUrl,
            @DefaultValue("5") @Min(1) int maxAttempts,
            @DefaultValue("500ms") @NotNull Duration initialBackoff,
            @DefaultValue("1000") @Min(1) int queueSize,
            @DefaultValue("5s") @NotNull Duration timeout) {
    }

    /**
     * The admin API's bearer token; without one every admin call is refused.
     *
     * @param token the bearer token of the admin API, /actuator/refresh and /actuator/prometheus
     *              (ABUSE_GUARD_ADMIN_TOKEN); empty: all of them refused (the demo profile generates one)
     * @param label   who the token's holder is in the audit trail
     * @param enabled serve the admin API (/admin/api) and the dashboard (/admin); needs Spring Security on the
     *                class path
     */
    public record Admin(@DefaultValue("") String token, @DefaultValue("admin") @NotBlank String label,
                        @DefaultValue("false") boolean enabled) {

        @Override
        public String toString() {
            return "Admin[token=" + (token.isEmpty() ? "" : "***") + ", label=" + label + ", enabled=" + enabled + "]";
        }
    }
}
