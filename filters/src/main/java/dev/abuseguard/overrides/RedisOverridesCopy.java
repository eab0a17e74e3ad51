package dev.abuseguard.overrides;

import dev.abuseguard.decision.SharedCopy;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.logging.LogValue;
import dev.abuseguard.redis.BlockInvalidations;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps {@link KnownOverrides} a copy of the overrides in Redis: a full read lists the users of
 * {@code ag:{idx}:overridden} and {@code ag:exempt} (which instances of the previous version write as well, so
 * their exemptions are found) and reads each one's hash; news {@code o <user>} on {@code ag:blocks} has the user's hash
 * read again.
 * Off the request path: Redis decisions never read the copy.
 *
 * <p>Each read also brings the string decisions read ({@code ag:{u:<id>}:ov}) in step with the hash
 * ({@code overrides-write.lua}, "sync", which writes only what differs): during a rolling update an instance of the
 * version before changes the hash alone and announces it, and the instances of this version that hear it (or the
 * next full read) carry the change over to the string.
 */
public final class RedisOverridesCopy implements SharedCopy {

    private static final Logger log = LoggerFactory.getLogger(RedisOverridesCopy.class);
    /** Hashes read at once in a full read: enough to hide the round trips, few enough not to crowd the connection. */
    private static final int READS_IN_FLIGHT = 16;
    private static final int MAX_WAITING = 1024;

    /** The hash's TTL when it has none: a year, the default {@code block-retention} the hashes are kept by. */
    static final long DEFAULT_KEEP_MILLIS = 365L * 24 * 60 * 60 * 1000;

    private final LettuceConnection connection;
    private final long keepMillis;
    private final BlockInvalidations channel;
    private final KnownOverrides known;
    private final Clock clock;
    private final long maxUsers;

    /** @param maxUsers how many users a full read takes at most (the copy's own bound) */
    public RedisOverridesCopy(LettuceConnection connection, BlockInvalidations channel, KnownOverrides known,
                              Clock clock, long maxUsers) {
        this(connection, channel, known, clock, maxUsers, DEFAULT_KEEP_MILLIS);
    }

    /**
     * @param keepMillis the TTL a hash without one gets when its string is brought in step (the overrides'
     *                   {@code retention}; every hash has a TTL, but one written by hand may not)
     */
    public RedisOverridesCopy(LettuceConnection connection, BlockInvalidations channel, KnownOverrides known,
                              Clock clock, long maxUsers, long keepMillis) {
        this.connection = connection;
        this.keepMillis = keepMillis;
        this.channel = channel;
        this.known = known;
        this.clock = clock;
        this.maxUsers = maxUsers;
    }

    /**
     * Applied one after another, so two changes of one user are read in the order they were made. The channel
     * does not wait for a slow listener, so changes heard during a read wait here, a bounded number of them.
     */
    @Override
    public Mono<Void> follow() {
        return channel.received().mapNotNull(RedisOverridesCopy::changedUser)
                .doOnNext(user -> known.changing())
                .onBackpressureBuffer(MAX_WAITING, user -> log.warn("event=overrides_news_dropped user={} (the next "
                        + "reload reads it)", LogValue.token(user)), BufferOverflowStrategy.DROP_OLDEST)
                .concatMap(user -> read(user).doOnNext(override -> known.put(user, override))
                        .onErrorResume(error -> {
                            log.warn("event=overrides_read_failed user={} error={} (the next reload reads it)",
                                    LogValue.token(user), LogValue.quoted(error));
                            return Mono.empty();
                        }))
                .then();
    }

    /**
     * The user an overrides message names, {@code null} for any other message (those are the copy of the blocks'),
     * and {@code null}, logged, for one that names none.
     */
    static String changedUser(String message) {
        if (!message.startsWith(BlockInvalidations.OVERRIDES)) {
            return null;
        }
        String user = message.substring(BlockInvalidations.OVERRIDES.length());
        if (user.isEmpty() || user.indexOf(' ') >= 0) {
            log.warn("event=overrides_news_unreadable message={} (skipped)", LogValue.quoted(message));
            return null;
        }
        return user;
    }

    @Override
    public Mono<Void> reload() {
        return Mono.defer(() -> {
            long generation = known.generation();
            return connection.commands().flatMap(r -> users(r).flatMap(users -> Flux.fromIterable(users)
                            .flatMap(user -> read(r, user).map(override -> Map.entry(user, override)),
                                    READS_IN_FLIGHT)
                            .filter(entry -> !entry.getValue().empty())
                            .collectMap(Map.Entry::getKey, Map.Entry::getValue)))
                    .doOnNext(read -> known.replaceAll(read, generation));
        }).then().onErrorResume(error -> {
            log.debug("event=overrides_reload_failed error={}", LogValue.quoted(error));
            return Mono.empty();
        });
    }

    /** The listed users, each index's reply read whole before any hash is asked for on the same connection. */
    private Mono<Set<String>> users(RedisClusterReactiveCommands<String, String> r) {
        Range<Double> live = Range.from(Range.Boundary.excluding((double) clock.millis()), Range.Boundary.unbounded());
        return r.zrangebyscore(RedisUserOverrides.OVERRIDDEN_INDEX, live, Limit.create(0, maxUsers)).collectList()
                .flatMap(overridden -> r.zrangebyscore(RedisUserOverrides.EXEMPT_INDEX, live, Limit.create(0, maxUsers))
                        .collectList()
                        .map(exempt -> {
                            Set<String> users = new LinkedHashSet<>(overridden);
                            addUpTo(users, exempt);
                            return users;
                        }));
    }

    private void addUpTo(Set<String> users, List<String> more) {
        for (String user : more) {
            if (users.size() >= maxUsers) {
                return;
            }
            users.add(user);
        }
    }

    private Mono<UserOverride> read(String userId) {
        return connection.commands().flatMap(r -> read(r, userId));
    }

    private Mono<UserOverride> read(RedisClusterReactiveCommands<String, String> r, String userId) {
        return RedisUserOverrides.readAndSync(r, userId, keepMillis).map(OverridesHash::read);
    }
}
