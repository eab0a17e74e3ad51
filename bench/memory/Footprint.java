import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.redis.RedisDecisionStore;
import dev.abuseguard.strategy.StrategyType;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Memory per user, measured: {@code redis <port> <users>} decides one allowed request for each of N
 * distinct users on Redis and prints the used_memory delta per user; {@code heap <users>} does the same
 * in the in-memory store and prints the heap it holds after a full GC.
 */
public final class Footprint {

    private static final Action PACK_CREATE =
            new Action("pack_create", ActionPolicy.of(5, Duration.ofHours(1), StrategyType.TOKEN_BUCKET));

    public static void main(String[] args) throws Exception {
        int users = Integer.parseInt(args[args.length - 1]);
        if (args[0].equals("redis")) {
            redis(Integer.parseInt(args[1]), users);
        } else {
            heap(users);
        }
    }

    private static final Action TINY =
            new Action("tiny", ActionPolicy.of(1, Duration.ofHours(1), StrategyType.TOKEN_BUCKET));

    /**
     * Bytes per id that a client invents, in the three shapes it can take: allowed once, refused once (one
     * violation: its abuse record and history), and refused until blocked; with the library's default scoring
     * (no decay: a violator's record stays for {@code retention}) and with the shipped routes.yml's (a 1 h
     * half-life: a never-blocked violator's record goes once its score has faded).
     */
    private static void redis(int port, int users) {
        measure(port, users, "allowed once", ScoringRules.defaults(), 1, PACK_CREATE);
        measure(port, users, "one violation, default scoring", ScoringRules.defaults(), 2, TINY);
        measure(port, users, "one violation, 1 h half-life", ScoringRules.defaults().withHalfLife(3_600_000), 2, TINY);
        measure(port, users / 10, "blocked (6 requests)", ScoringRules.defaults(), 6, TINY);
    }

    private static void measure(int port, int users, String shape, ScoringRules rules, int requests, Action action) {
        try (LettuceConnection connection = LettuceConnection.standalone(RedisURI.create("127.0.0.1", port), null,
                Duration.ofSeconds(2), Duration.ofSeconds(2), List.of())) {
            RedisDecisionStore store = new RedisDecisionStore(connection, () -> rules);
            redisCli(port, "FLUSHALL"); // each shape on an empty keyspace: the dict's resizes land in no other's delta
            store.decide("warm-up", action, Spend.CONSUME).block();
            String prefix = "id-" + shape.hashCode() + "-";
            long before = usedMemory(port);
            Flux.range(0, users).flatMap(i -> Flux.range(0, requests)
                            .concatMap(r -> store.decide(prefix + i, action, Spend.CONSUME)), 64)
                    .blockLast(Duration.ofMinutes(5));
            long after = usedMemory(port);
            System.out.printf("redis: %-32s %7d ids, %5.0f bytes per id, kept %s%n", shape + ":", users,
                    (after - before) / (double) users, keptFor(port, prefix + "0"));
        }
    }

    /** The longest TTL among the id's keys, as redis-cli reports it. */
    private static String keptFor(int port, String id) {
        long longest = -2;
        for (String key : redisCli(port, "--scan", "--pattern", "ag:{u:" + id + "}:*").split("\\r?\\n")) {
            if (!key.isBlank()) {
                longest = Math.max(longest, Long.parseLong(redisCli(port, "PTTL", key).trim()));
            }
        }
        return longest < 0 ? "no key" : Duration.ofMillis(longest).toString().substring(2).toLowerCase();
    }

    private static String redisCli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            Process cli = new ProcessBuilder(command).start();
            return new String(cli.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long usedMemory(int port) {
        try {
            Process info = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "INFO", "memory").start();
            for (String line : new String(info.getInputStream().readAllBytes()).split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
            throw new IllegalStateException("no used_memory in INFO");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void heap(int users) {
        long before = usedHeapAfterGc();
        InMemoryDecisionStore store = new InMemoryDecisionStore(Clock.systemUTC(), ScoringRules::defaults, users);
        for (int i = 0; i < users; i++) {
            store.decideNow("user-" + (1_000_000_000L + i), PACK_CREATE, Spend.CONSUME);
        }
        long after = usedHeapAfterGc();
        System.out.printf("heap: %d users in the in-memory store (bound %d): %d MB held, %.0f bytes per user%n",
                store.estimatedUsers(), users, (after - before) >> 20, (after - before) / (double) users);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
