package dev.abuseguard.registry;

import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What operators see of abusers, and the actions they take on one user. */
public interface AbuseRegistry {

    Mono<AbuseStats> stats(long highAbuseThreshold);

    /** Users with at least {@code minScore}, highest score first. */
    Flux<UserStanding> users(long minScore, int limit);

    /** Empty when the gateway knows nothing of the user. */
    Mono<UserHistory> user(String userId);

    /** Clears score, violations, block and every rate-limit state of the user. */
    Mono<Void> reset(String userId);

    /**
     * Blocks a user from every action.
     *
     * @param duration {@code null}: until unbanned
     * @return the user's score
     */
    Mono<Long> ban(String userId, Duration duration);

    /** @return the user's score, empty when the user was not known */
    Mono<Long> unban(String userId);
}
