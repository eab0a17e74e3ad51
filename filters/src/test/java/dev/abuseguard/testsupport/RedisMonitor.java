package dev.abuseguard.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what clients send to a Redis server, as {@code redis-cli MONITOR} shows it. Commands that a
 * script makes inside Redis appear with a {@code lua} source and are kept apart: a round trip is one
 * command sent by a client.
 */
public final class RedisMonitor implements AutoCloseable {

    private final Socket socket;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    public RedisMonitor(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        socket.getOutputStream().write(RedisServer.Resp.encode("MONITOR"));
        InputStream in = socket.getInputStream();
        String ok = RedisServer.Resp.readLine(in);
        if (!"+OK".equals(ok)) {
            throw new IOException("MONITOR refused: " + ok);
        }
        socket.setSoTimeout(200);
        reader = new Thread(() -> {
            while (!closed) {
                try {
                    lines.add(RedisServer.Resp.readLine(in));
                } catch (SocketTimeoutException idle) {
                    // keep listening
                } catch (IOException e) {
                    return;
                }
            }
        }, "redis-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    /** Commands sent by clients (not by scripts), e.g. {@code "EVALSHA"}. */
    public List<String> clientCommands() {
        return lines.stream().filter(line -> !line.contains(" lua] ")).map(RedisMonitor::commandName).toList();
    }

    /**
     * Commands sent by clients, each the whole line as MONITOR shows it (name, arguments, keys): to tell one
     * script's calls from another's.
     */
    public List<String> clientLines() {
        return lines.stream().filter(line -> !line.contains(" lua] ") && line.contains("] \"")).toList();
    }

    /** A command a client sent, with the client's address ({@code 127.0.0.1:54321}): one address, one connection. */
    public record Sent(String client, String command) {
    }

    /** {@link #clientCommands()} with the connection each came from. */
    public List<Sent> clientCommandsWithConnection() {
        return lines.stream().filter(line -> !line.contains(" lua] "))
                .map(line -> new Sent(clientOf(line), commandName(line))).toList();
    }

    /** {@code 1700000000.123456 [0 127.0.0.1:54321] "EVALSHA" ...}: the part after the database number. */
    private static String clientOf(String line) {
        int open = line.indexOf('[');
        return line.substring(line.indexOf(' ', open) + 1, line.indexOf(']', open));
    }

    /** Commands that scripts made inside Redis. */
    public List<String> scriptCommands() {
        return lines.stream().filter(line -> line.contains(" lua] ")).map(RedisMonitor::commandName).toList();
    }

    /** Every line as MONITOR wrote it, for a test that picks out one user's commands by the keys they name. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    private static String commandName(String line) {
        int start = line.indexOf("] \"") + 3;
        return line.substring(start, line.indexOf('"', start)).toUpperCase();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
