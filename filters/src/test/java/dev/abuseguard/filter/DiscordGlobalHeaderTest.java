package dev.abuseguard.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Scope;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.StrategyType;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Discord's clients (@discordjs/rest among them) treat a 429 as global only when X-RateLimit-Global is present,
 * and then hold back every request, not only the bucket's: a global limit's 429 carries it, a user's never.
 */
class DiscordGlobalHeaderTest {

    private final RateLimitHeaders headers = new RateLimitHeaders("route", true, Clock.systemUTC());
    private final Action action = new Action("send", ActionPolicy.of(3, Duration.ofSeconds(2),
            StrategyType.TOKEN_BUCKET));

    private HttpHeaders rateLimited(Scope scope) {
        HttpHeaders rendered = new HttpHeaders();
        headers.rateLimited(rendered, action,
                scope == Scope.GLOBAL ? Decision.globallyLimited(3, 700, 10) : Decision.rateLimited(3, 2000, 700, 10));
        return rendered;
    }

    @Test
    void aGlobalLimitsTooManyRequestsSaysSoAsDiscordDoes() {
        HttpHeaders global = rateLimited(Scope.GLOBAL);
        assertThat(global.getFirst("X-RateLimit-Scope")).isEqualTo("global");
        assertThat(global.get("X-RateLimit-Global")).containsExactly("true");
    }

    @Test
    void aUsersOwnLimitIsNeverGlobal() {
        HttpHeaders user = rateLimited(Scope.USER);
        assertThat(user.getFirst("X-RateLimit-Scope")).isEqualTo("user");
        assertThat(user.containsHeader("X-RateLimit-Global")).isFalse();
    }
}
