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
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real Redis Cluster of three masters on loopback, without replicas ({@link #start()}) or with one replica
 * each ({@link #withReplicas(Duration)}): {@code redis-server} processes in cluster mode on free ports, joined
 * by {@code redis-cli --cluster create}, ready once every node reports {@code cluster_state:ok} (and every
 * replica is in sync with its master). Never touches the machine's own Redis on 6379. Fails (never skips)
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
    private final int replicas;
    private final List<String> nodeArgs;
    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster(Path dir, int replicas, List<String> nodeArgs) {
        this.dir = dir;
        this.replicas = replicas;
        this.nodeArgs = List.copyOf(nodeArgs);
    }

    /** Three masters, no replicas. */
    public static RedisCluster start() {
        return start(0, List.of());
    }

    /**
     * Three masters and a replica for each, {@code cluster-node-timeout} as given: a master unreachable that
     * long is marked failed and its replica promoted (about a node timeout and a second later).
     */
    public static RedisCluster withReplicas(Duration nodeTimeout) {
        return start(1, List.of("--cluster-node-timeout", Long.toString(nodeTimeout.toMillis())));
    }

    private static RedisCluster start(int replicasPerMaster, List<String> nodeArgs) {
        String cli = RedisServer.findBinary("redis-cli");
        RedisServer.findBinary("redis-server");
        RedisCluster cluster;
        try {
            cluster = new RedisCluster(Files.createTempDirectory("abuse-guard-redis-cluster"), replicasPerMaster,
                    nodeArgs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Set<Integer> taken = new HashSet<>();
            for (int i = 0; i < MASTERS * (1 + replicasPerMaster); i++) {
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
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString()));
                args.addAll(nodeArgs);
                RedisServer node = RedisServer.startOn(port, args);
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
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
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

    /**
     * Every node sees the whole cluster: state ok, all nodes known, all 16384 slots served; and every replica
     * has its master's data (a replica that never synced would not be promoted).
     */
    private void awaitOk() {
        Awaitility.await("cluster_state:ok on every node").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> nodes.stream().allMatch(node -> {
                    String info = node.run("CLUSTER", "INFO").get(0);
                    return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size())
                            && info.contains("cluster_slots_ok:16384");
                }) && replicas().size() == MASTERS * replicas
                        && replicas().stream().allMatch(replica -> replica.run("INFO", "replication").get(0)
                        .contains("master_link_status:up")));
    }

    /** The nodes that serve slots now, by the cluster's own view (a promoted replica among them). */
    public List<RedisServer> masters() {
        return topology().stream().filter(line -> line.flags().contains("master") && line.hasSlots()
                && !line.flags().contains("fail") && !line.flags().contains("fail?")).map(line -> byPort(line.port()))
                .toList();
    }

    /** The nodes that replicate a master now. */
    public List<RedisServer> replicas() {
        return topology().stream().filter(line -> line.flags().contains("slave")).map(line -> byPort(line.port()))
                .toList();
    }

    /** The replica of a master, by the cluster's own view. */
    public RedisServer replicaOf(RedisServer master) {
        List<Line> lines = topology();
        String masterId = lines.stream().filter(line -> line.port() == master.port()).findFirst().orElseThrow().id();
        return lines.stream().filter(line -> line.masterId().equals(masterId)).map(line -> byPort(line.port()))
                .findFirst().orElseThrow(() -> new IllegalStateException("node " + master.port() + " has no replica"));
    }

    /** One line of {@code CLUSTER NODES}: id, address, flags, the master's id ({@code -} for a master), slots. */
    private record Line(String id, int port, List<String> flags, String masterId, List<String> slots) {

        static Line parse(String text) {
            String[] fields = text.trim().split(" ");
            String address = fields[1].substring(0, fields[1].indexOf('@'));
            return new Line(fields[0], Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)),
                    List.of(fields[2].split(",")), fields[3], List.of(fields).subList(8, fields.length));
        }

        boolean hasSlots() {
            return !slots.isEmpty();
        }
    }

    /** {@code CLUSTER NODES} as the first node that answers sees it. */
    private List<Line> topology() {
        return onAnyNode("CLUSTER", "NODES").get(0).lines().filter(line -> !line.isBlank()).map(Line::parse).toList();
    }

    /** A command's reply from the first node that answers (a killed node does not). */
    private List<String> onAnyNode(String... command) {
        IllegalStateException last = null;
        for (RedisServer node : nodes) {
            try {
                return node.run(command);
            } catch (IllegalStateException unreachable) {
                last = unreachable;
            }
        }
        throw new IllegalStateException("no cluster node answers " + String.join(" ", command), last);
    }

    private RedisServer byPort(int port) {
        return nodes.stream().filter(node -> node.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("node " + port + " is not one of this cluster's"));
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
        return Integer.parseInt(onAnyNode("CLUSTER", "KEYSLOT", key).get(0));
    }

    /**
     * User ids ({@code prefix0}, {@code prefix1}, ... skipping those served elsewhere) whose keys ({@code
     * ag:{u:<id>}:...}) the given master serves now; they go on being drawn from its slots after it dies.
     */
    public Iterator<String> usersOn(RedisServer master, String prefix) {
        List<int[]> ranges = new ArrayList<>();
        for (Line line : topology()) {
            if (line.port() == master.port()) {
                line.slots().stream().filter(slots -> !slots.startsWith("[")).forEach(slots -> {
                    String[] range = slots.split("-");
                    ranges.add(new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1])});
                });
            }
        }
        if (ranges.isEmpty()) {
            throw new IllegalStateException("node " + master.port() + " serves no slot");
        }
        return IntStream.iterate(0, i -> i + 1).mapToObj(i -> prefix + i).filter(user -> {
            int slot = slotOf("ag:{u:" + user + "}:abuse");
            return ranges.stream().anyMatch(range -> slot >= range[0] && slot <= range[1]);
        }).iterator();
    }

    /** The master that serves a key's slot now, by the cluster's own slot map ({@code CLUSTER NODES}). */
    public RedisServer ownerOf(String key) {
        int slot = slotOf(key);
        for (Line line : topology()) {
            if (!line.flags().contains("master") || line.flags().contains("fail")) { // a failed master serves nothing
                continue;
            }
            for (String slots : line.slots()) {
                if (slots.startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = slots.split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return byPort(line.port());
                }
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /** Empties every master (a cluster node's FLUSHALL empties only itself; replicas follow). Loaded scripts stay. */
    public void flushAll() {
        masters().forEach(RedisServer::flushAll);
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
