package dev.abuseguard.admin.web;

import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.trends.Offender;
import dev.abuseguard.trends.TrendRow;
import dev.abuseguard.trends.Trends;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /admin/api/trends}, {@code /offenders} and {@code /limits}: what the dashboard's chart, its list of
 * offenders and its table of limits read. Counts come from Redis (every instance's), or from this instance
 * alone when there is no Redis or it cannot be read.
 */
@RestController
@RequestMapping("/admin/api")
class TrendsController {

    private static final int MAX_OFFENDERS = 100;

    private final Trends trends;
    private final LivePolicies policies;
    private final JsonMapper json;

    TrendsController(Trends trends, LivePolicies policies, ObjectProvider<JsonMapper> json) {
        this.trends = trends;
        this.policies = policies;
        this.json = json.getIfAvailable(JsonMapper::new);
    }

    /** One minute of one action; {@code minute} is the minute's start in UTC, ISO 8601. */
    record TrendEntry(String minute, String action, long allowed, long rateLimited, long blocked, long shadow,
                      long storeUnavailable) {

        static TrendEntry of(TrendRow row) {
            return new TrendEntry(row.minute().toString(), row.action(), row.allowed(), row.rateLimited(),
                    row.blocked(), row.shadow(), row.storeUnavailable());
        }
    }

    /** Minutes and actions without a single decision are left out. */
    @GetMapping("/trends")
    Flux<TrendEntry> trends(ServerHttpRequest request) {
        int span = QueryNumbers.whole(request, "minutes", 60, Trends.MAX_MINUTES);
        return trends.rows(span).flatMapIterable(rows -> rows).map(TrendEntry::of);
    }

    @GetMapping("/offenders")
    Flux<Offender> offenders(ServerHttpRequest request) {
        int span = QueryNumbers.whole(request, "minutes", Trends.OFFENDER_MINUTES, Trends.OFFENDER_MINUTES);
        int most = QueryNumbers.whole(request, "limit", 10, MAX_OFFENDERS);
        return trends.offenders(span, most).flatMapIterable(offenders -> offenders);
    }

    /**
     * The limits in force, one entry per action by name: the policy's members as configured (so members that
     * a later version adds, such as {@code shadow} or {@code global}, appear as they are), with {@code window}
     * written as in routes.yml and {@code windowSeconds} beside it.
     */
    @GetMapping("/limits")
    Flux<Map<String, Object>> limits() {
        Map<String, ActionPolicy> actions = new TreeMap<>(policies.current().settings().actions());
        return Flux.fromIterable(actions.entrySet()).map(e -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("action", e.getKey());
            @SuppressWarnings("unchecked")
            Map<String, Object> members = json.convertValue(e.getValue(), Map.class);
            entry.putAll(members);
            entry.put("strategy", wire(e.getValue().strategy()));
            entry.put("onStoreFailure", wire(e.getValue().onStoreFailure()));
            entry.put("spendOn", wire(e.getValue().spendOn()));
            entry.put("window", text(e.getValue().window()));
            entry.put("windowSeconds", e.getValue().window().toMillis() / 1000.0);
            entry.put("maxDelay", text(e.getValue().maxDelay()));
            entry.remove("windowUsable");
            entry.remove("maxDelayUsable");
            return entry;
        });
    }

    /** As routes.yml writes the value: {@code TOKEN_BUCKET} is {@code token-bucket}. */
    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** As routes.yml writes durations: the largest unit that divides the duration exactly. */
    static String text(Duration duration) {
        long ms = duration.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1000};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
