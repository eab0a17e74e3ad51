package dev.abuseguard.admin.web;

import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicies;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.trends.TrendRow;
import dev.abuseguard.trends.Trends;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /admin/api/shadow?minutes=60}: the actions in shadow mode now, and per action the requests that
 * shadow mode forwarded although enforcing would have refused them, over the last minutes, across every
 * instance (read from the trend counts, which each instance adds every few seconds).
 */
@RestController
@RequestMapping("/admin/api")
class ShadowController {

    private final LivePolicies policies;
    private final Trends trends;

    ShadowController(LivePolicies policies, Trends trends) {
        this.policies = policies;
        this.trends = trends;
    }

    /** An action's would-be refusals: {@code shadow} true while the action is in shadow mode. */
    record ShadowCount(String action, boolean shadow, long violations) {
    }

    record ShadowReport(int minutes, List<ShadowCount> actions) {
    }

    @GetMapping("/shadow")
    Mono<ShadowReport> shadow(ServerHttpRequest request) {
        int minutes = QueryNumbers.whole(request, "minutes", 60, Trends.MAX_MINUTES);
        return trends.rows(minutes).map(rows -> {
            ActionPolicies actions = policies.current().actions();
            Map<String, Long> counts = new TreeMap<>();
            for (Action action : actions.all()) {
                if (action.policy().shadow()) {
                    counts.put(action.name(), 0L);
                }
            }
            for (TrendRow row : rows) {
                if (row.shadow() > 0) {
                    counts.merge(row.action(), row.shadow(), Long::sum);
                }
            }
            return new ShadowReport(minutes, counts.entrySet().stream().map(entry -> new ShadowCount(entry.getKey(),
                    actions.find(entry.getKey()).map(a -> a.policy().shadow()).orElse(false),
                    entry.getValue())).toList());
        });
    }
}
