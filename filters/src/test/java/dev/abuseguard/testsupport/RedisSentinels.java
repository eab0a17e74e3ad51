package dev.abuseguard.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A master, its replica and three sentinels watching them ({@code redis-server <config> --sentinel}), all on
 * free loopback ports: quorum 2, so two sentinels that lose the master agree it is down and one of them,
 * elected by a majority, promotes the replica. {@code down-after-milliseconds} and {@code failover-timeout}
 * are short, so a failover takes a few seconds. Ready once each sentinel knows the master, the replica and
 * the two other sentinels. Never touches the machine's own Redis or sentinels. Fails (never skips) when
 * {@code redis-server} is missing.
 */
public final class RedisSentinels implements AutoCloseable {

    public static final String MASTER_NAME = "abuse-guard";
    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;
    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(3);

    private final Path dir;
    private final RedisServer master;
    private final RedisServer replica;
    private final List<Sentinel> sentinels = new ArrayList<>();

    private record Sentinel(int port, Process process) {
    }

    private RedisSentinels(Path dir, RedisServer master, RedisServer replica) {
        this.dir = dir;
        this.master = master;
        this.replica = replica;
    }

    public static RedisSentinels start() {
        String binary = RedisServer.findBinary("redis-server");
        RedisServer master = RedisServer.start();
        RedisServer replica = null;
        RedisSentinels set = null;
        try {
            replica = RedisServer.startOn(RedisServer.freePort(),
                    List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
            set = new RedisSentinels(Files.createTempDirectory("abuse-guard-sentinels"), master, replica);
            RedisServer syncing = replica;
            Awaitility.await("the replica in sync with the master").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> syncing.run("INFO", "replication").get(0).contains("master_link_status:up"));
            for (int i = 0; i < SENTINELS; i++) {
                set.sentinels.add(set.startSentinel(binary, i));
            }
            set.awaitWatching();
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (set != null) {
                set.close();
            } else {
                master.close();
                if (replica != null) {
                    replica.close();
                }
            }
            throw e;
        }
    }

    private Sentinel startSentinel(String binary, int index) throws IOException {
        int port = RedisServer.freePort();
        Path config = dir.resolve("sentinel-" + index + ".conf"); // a sentinel rewrites its file: one each
        Files.writeString(config, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " " + QUORUM,
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
                "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT.toMillis(),
                "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
        Process process = new ProcessBuilder(binary, config.toString(), "--sentinel").redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel-" + index + ".log").toFile()).start();
        Sentinel sentinel = new Sentinel(port, process);
        Awaitility.await("sentinel " + index + " answers").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("redis-server --sentinel exited at start: "
                                + Files.readString(dir.resolve("sentinel-" + index + ".log")));
                    }
                    return "PONG".equals(run(port, "PING").get(0));
                });
        return sentinel;
    }

    /** Every sentinel has found the replica (from the master) and the other sentinels (from their hellos). */
    private void awaitWatching() {
        Awaitility.await("every sentinel knows the replica and the other sentinels").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> sentinels.stream().allMatch(sentinel ->
                        fieldOf(run(sentinel.port(), "SENTINEL", "MASTER", MASTER_NAME), "num-slaves").equals("1")
                                && fieldOf(run(sentinel.port(), "SENTINEL", "MASTER", MASTER_NAME),
                                "num-other-sentinels").equals(Integer.toString(SENTINELS - 1))));
    }

    private static String fieldOf(List<String> flatMap, String name) {
        int at = flatMap.indexOf(name);
        return at < 0 ? "" : flatMap.get(at + 1);
    }

    public RedisServer master() {
        return master;
    }

    public RedisServer replica() {
        return replica;
    }

    /** The sentinels as {@code spring.data.redis.sentinel.nodes} takes them: {@code 127.0.0.1:p1,...}. */
    public String nodesProperty() {
        return sentinels.stream().map(sentinel -> "127.0.0.1:" + sentinel.port()).collect(Collectors.joining(","));
    }

    /** The master's port as the first sentinel that answers sees it now. */
    public int masterPortBySentinels() {
        IllegalStateException last = null;
        for (Sentinel sentinel : sentinels) {
            try {
                return Integer.parseInt(run(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                        .get(1));
            } catch (IllegalStateException unreachable) {
                last = unreachable;
            }
        }
        throw new IllegalStateException("no sentinel answers", last);
    }

    /** What the sentinels logged, to explain a failover that did not happen. */
    public String sentinelLogs() {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < sentinels.size(); i++) {
            try {
                logs.append("--- sentinel ").append(i).append('\n')
                        .append(Files.readString(dir.resolve("sentinel-" + i + ".log")));
            } catch (IOException e) {
                logs.append("(no log: ").append(e.getMessage()).append(")\n");
            }
        }
        return logs.toString();
    }

    private static List<String> run(int port, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(RedisServer.Resp.encode(args));
            out.flush();
            List<String> reply = new ArrayList<>();
            RedisServer.Resp.read(socket.getInputStream(), reply);
            return reply;
        } catch (IOException e) {
            throw new IllegalStateException("sentinel command failed: " + String.join(" ", args), e);
        }
    }

    @Override
    public void close() {
        for (Sentinel sentinel : sentinels) {
            sentinel.process().destroy();
            try {
                if (!sentinel.process().waitFor(5, TimeUnit.SECONDS)) {
                    sentinel.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        master.close();
        replica.close();
    }
}
