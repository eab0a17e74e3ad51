package dev.abuseguard.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} that a test starts on a free loopback port and stops afterwards. Never
 * touches the machine's own Redis on 6379. Fails (never skips) when no redis-server is installed.
 */
public final class RedisServer implements AutoCloseable {

    private static RedisServer shared;

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory("abuse-guard-redis");
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** One server for the whole test JVM, stopped when the JVM exits. Tests flush it before use. */
    public static synchronized RedisServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /**
     * The shared server, emptied: for a test class's static field, so that the gateways the class starts do not
     * find what an earlier class left behind (a gateway copies the active blocks from Redis when it starts, and
     * keeps them after a test empties Redis).
     */
    public static RedisServer sharedEmpty() {
        RedisServer server = shared();
        server.flushAll();
        return server;
    }

    public static RedisServer start() {
        return startOn(freePort());
    }

    public static RedisServer startOn(int port) {
        return startOn(port, List.of());
    }

    /** As {@link #startOn(int)}, with more {@code redis-server} options after the usual ones (e.g. cluster mode). */
    public static RedisServer startOn(int port, List<String> extraArgs) {
        try {
            RedisServer server = new RedisServer(port, extraArgs);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server: " + e.getMessage(), e);
        }
    }

    private void launch() throws IOException {
        String binary = findBinary();
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "yes"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start: "
                        + Files.readString(dir.resolve("redis.log")));
            }
            try {
                if ("PONG".equals(command("PING").get(0))) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("redis-server did not answer on port " + port + " within 10 s");
    }

    private static String findBinary() {
        return findBinary("redis-server");
    }

    /**
     * The path of a Redis binary ({@code redis-server}, {@code redis-cli}) on the PATH or in the usual
     * places; fails with a message saying how to install it when there is none.
     */
    public static String findBinary(String name) {
        return findBinaryOr(name, "Install it (Debian/Ubuntu: 'sudo apt-get install redis-server', which brings "
                + "redis-cli too; macOS: 'brew install redis') and run the tests again. ./test.sh installs it by "
                + "itself.");
    }

    /** {@link #findBinary(String)} with the install hint to give when it is missing. */
    public static String findBinaryOr(String name, String howToInstall) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        for (String fallback : List.of("/usr/bin/" + name, "/usr/local/bin/" + name)) {
            if (new File(fallback).canExecute()) {
                return fallback;
            }
        }
        throw new IllegalStateException("These tests need a real " + name + " on the PATH and none was found. "
                + howToInstall);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The server's working directory (its log, and whatever {@code --dir}-relative files it writes). */
    public Path dir() {
        return dir;
    }

    public void flushAll() {
        run("FLUSHALL");
    }

    /** Freezes the server (SIGSTOP): connections stay open, nothing answers, as with a hung host. */
    public void pause() {
        signal("STOP");
    }

    /** Thaws a paused server (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    /**
     * Starts the server again on the same port after {@link #kill()}: empty, or with what a {@code SAVE} before the
     * kill wrote to its directory, as a server with snapshots comes back from a crash.
     */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("could not restart redis-server", e);
        }
    }

    private void signal(String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " failed with " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server abruptly, as a crash would (SIGKILL). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one command and returns its reply flattened to strings; for assertions, not for the gateway. */
    public List<String> run(String... args) {
        try {
            return command(args);
        } catch (IOException e) {
            throw new IllegalStateException("redis command failed: " + String.join(" ", args), e);
        }
    }

    public List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            List<String> reply = run("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = reply.get(0);
            keys.addAll(reply.subList(1, reply.size()));
        } while (!"0".equals(cursor));
        return keys;
    }

    private List<String> command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(Resp.encode(args));
            out.flush();
            List<String> reply = new ArrayList<>();
            Resp.read(socket.getInputStream(), reply);
            return reply;
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Just enough RESP to talk to Redis from tests. */
    static final class Resp {
        static byte[] encode(String... args) {
            StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                out.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        static void read(InputStream in, List<String> into) throws IOException {
            String line = readLine(in);
            char type = line.charAt(0);
            String rest = line.substring(1);
            switch (type) {
                case '+', ':' -> into.add(rest);
                case '-' -> throw new IOException("redis error: " + rest);
                case '$' -> {
                    int length = Integer.parseInt(rest);
                    if (length < 0) {
                        into.add(null);
                    } else {
                        byte[] data = in.readNBytes(length + 2);
                        into.add(new String(data, 0, length, StandardCharsets.UTF_8));
                    }
                }
                case '*' -> {
                    int count = Integer.parseInt(rest);
                    for (int i = 0; i < count; i++) {
                        read(in, into);
                    }
                }
                default -> throw new IOException("unexpected reply: " + line);
            }
        }

        static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\r') {
                    in.read();
                    return line.toString();
                }
                line.append((char) c);
            }
            throw new IOException("connection closed");
        }
    }
}
