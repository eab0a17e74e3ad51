package dev.abuseguard.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real Redis Cluster of three masters (no replicas) on loopback: three {@code redis-server} processes
 * in cluster mode on free ports, joined by {@code redis-cli --cluster create}, ready once every node
 * reports {@code cluster_state:ok}. Never touches the machine's own Redis on 6379. Fails (never skips)
 * when {@code redis-server} or {@code redis-cli} is missing. {@link #close()} stops the nodes and deletes
 * their files.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    /**
     * Node ports are drawn from here: a node also listens on its cluster bus port, port + 10000, and this
     * keeps both below 55536 and, on Linux, below the ephemeral range (32768 and up) that outgoing
     * connections take their local ports from.
     */
    private static final int LOWEST_PORT = 10_000;
    private static final int HIGHEST_PORT = 22_000;
    private static final int BUS_OFFSET = 10_000;

    private final Path dir;
    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster(Path dir) {
        this.dir = dir;
    }

    public static RedisCluster start() {
        String cli = RedisServer.findBinary("redis-cli");
        RedisServer.findBinary("redis-server");
        RedisCluster cluster;
        try {
            cluster = new RedisCluster(Files.createTempDirectory("abuse-guard-redis-cluster"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Set<Integer> taken = new HashSet<>();
            for (int i = 0; i < MASTERS; i++) {
                cluster.nodes.add(cluster.startNode(taken));
            }
            cluster.create(cli);
            cluster.awaitOk();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts one cluster-mode node on a free port whose bus port is free too; tries again if one is lost to a race. */
    private RedisServer startNode(Set<Integer> taken) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePortWithFreeBusPort(taken);
            try {
                RedisServer node = RedisServer.startOn(port, List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString()));
                taken.add(port);
                taken.add(port + BUS_OFFSET);
                return node;
            } catch (IllegalStateException e) {
                last = e; // most likely the port or its bus port was taken in between: draw again
            }
        }
        throw new IllegalStateException("could not start a Redis Cluster node after 5 attempts", last);
    }

    private static int freePortWithFreeBusPort(Set<Integer> taken) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT);
            if (!taken.contains(port) && !taken.contains(port + BUS_OFFSET)
                    && canBind(port) && canBind(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("found no free loopback port pair (p, p+10000) between "
                + LOWEST_PORT + " and " + (HIGHEST_PORT + BUS_OFFSET));
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void create(String cli) {
        List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        try {
            Process create = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!create.waitFor(30, TimeUnit.SECONDS)) {
                create.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish within 30 s: "
                        + Files.readString(log));
            }
            if (create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed (exit " + create.exitValue()
                        + "): " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    /** Every node sees the whole cluster: state ok, all three nodes known, all 16384 slots served. */
    private void awaitOk() {
        Awaitility.await("cluster_state:ok on every node").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> nodes.stream().allMatch(node -> {
                    String info = node.run("CLUSTER", "INFO").get(0);
                    return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + MASTERS)
                            && info.contains("cluster_slots_ok:16384");
                }));
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The seed list as {@code spring.data.redis.cluster.nodes} takes it: {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
    public String nodesProperty() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** The hash slot of a key, as the cluster computes it ({@code CLUSTER KEYSLOT}). */
    public int slotOf(String key) {
        return Integer.parseInt(nodes.get(0).run("CLUSTER", "KEYSLOT", key).get(0));
    }

    /** The master that serves a key's slot, by the cluster's own slot map ({@code CLUSTER NODES}). */
    public RedisServer ownerOf(String key) {
        int slot = slotOf(key);
        for (String line : nodes.get(0).run("CLUSTER", "NODES").get(0).split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9) {
                continue; // a node without slots
            }
            String address = fields[1].substring(0, fields[1].indexOf('@'));
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow(
                            () -> new IllegalStateException("slot " + slot + " is served by unknown node " + address));
                }
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /** Empties every node (a cluster node's FLUSHALL empties only itself). Loaded scripts stay. */
    public void flushAll() {
        nodes.forEach(RedisServer::flushAll);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
        nodes.forEach(node -> delete(node.dir()));
        delete(dir);
    }

    private static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory left behind is harmless
        }
    }
}
