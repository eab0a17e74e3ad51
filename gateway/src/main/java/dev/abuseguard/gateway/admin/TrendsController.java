package dev.abuseguard.gateway.admin;

import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.trends.Offender;
import dev.abuseguard.trends.TrendRow;
import dev.abuseguard.trends.Trends;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponseException;
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
        int span = whole(request, "minutes", 60, Trends.MAX_MINUTES);
        return trends.rows(span).flatMapIterable(rows -> rows).map(TrendEntry::of);
    }

    @GetMapping("/offenders")
    Flux<Offender> offenders(ServerHttpRequest request) {
        int span = whole(request, "minutes", Trends.OFFENDER_MINUTES, Trends.OFFENDER_MINUTES);
        int most = whole(request, "limit", 10, MAX_OFFENDERS);
        return trends.offenders(span, most).flatMapIterable(offenders -> offenders);
    }

    /**
     * The limits in force, one entry per action by name: the policy's members as configured (so members that
     * a later version adds, such as {@code shadow} or {@code global}, appear as they are), with {@code window}
     * written as in routes.yml and {@code windowSeconds} beside it.
     */
    @GetMapping("/limits")
    Flux<Map<String, Object>> limits() {
        Map<String, ActionPolicy> actions = new TreeMap<>(policies.current().properties().actions());
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

    /**
     * A whole number from 1 to {@code max}, given at most once; a 400 problem naming the parameter otherwise
     * (read from the query itself: an empty {@code minutes=} is not the same as no {@code minutes}).
     */
    private static int whole(ServerHttpRequest request, String name, int absent, int max) {
        List<String> values = request.getQueryParams().get(name);
        if (values == null) {
            return absent;
        }
        String text = values.isEmpty() || values.get(0) == null ? "" : values.get(0);
        if (values.size() > 1 || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)
                || Integer.parseInt(text) < 1 || Integer.parseInt(text) > max) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    name + " must be given once, as a whole number from 1 to " + max + ".");
            problem.setType(URI.create("urn:abuse-guard:problem:bad-request"));
            problem.setTitle("Bad request");
            problem.setProperty("field", name);
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
        }
        return Integer.parseInt(text);
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
