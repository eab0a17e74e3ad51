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

    private static void redis(int port, int users) {
        try (LettuceConnection connection = LettuceConnection.standalone(RedisURI.create("127.0.0.1", port), null,
                Duration.ofSeconds(2), Duration.ofSeconds(2), List.of())) {
            RedisDecisionStore store = new RedisDecisionStore(connection, ScoringRules::defaults);
            store.decide("warm-up", PACK_CREATE, Spend.CONSUME).block();
            long before = usedMemory(port);
            Flux.range(0, users).flatMap(i -> store.decide("user-" + (1_000_000_000L + i), PACK_CREATE, Spend.CONSUME), 64)
                    .blockLast(Duration.ofMinutes(5));
            long after = usedMemory(port);
            System.out.printf("redis: %d users (one allowed pack_create each), used_memory %d -> %d bytes: %.0f bytes per user%n",
                    users, before, after, (after - before) / (double) users);
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
