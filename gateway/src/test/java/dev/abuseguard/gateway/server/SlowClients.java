package dev.abuseguard.gateway.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many connections held open by clients that send slowly or not at all, driven by one thread on one selector:
 * each sends a first part at once, then the rest a byte at a time at a fixed pace, and notes when the server
 * closed it and when it last saw an answer's bytes. Everything is closed by {@link #close()}.
 */
final class SlowClients implements AutoCloseable {

    /** One connection: what it sends at once, what it trickles, and what it saw. */
    static final class Connection {
        private final SocketChannel channel;
        private final ByteBuffer trickle;
        final long openedNanos;
        volatile long lastAnswerBytesNanos;
        volatile long closedNanos;

        private Connection(SocketChannel channel, byte[] trickle) {
            this.channel = channel;
            this.trickle = ByteBuffer.wrap(trickle);
            this.openedNanos = System.nanoTime();
        }

        boolean closed() {
            return closedNanos != 0;
        }

        /** Milliseconds from {@code fromNanos} to the server's closing, or -1 while it is open. */
        long closedAfterMillis(long fromNanos) {
            return closed() ? TimeUnit.NANOSECONDS.toMillis(closedNanos - fromNanos) : -1;
        }
    }

    private final int port;
    private final long paceMillis;
    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final Thread driver;
    private volatile boolean running = true;

    SlowClients(int port, long paceMillis) {
        this.port = port;
        this.paceMillis = paceMillis;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.driver = new Thread(this::drive, "slow-clients");
    }

    /** Opens a connection that sends {@code atOnce}, then {@code trickled} a byte per pace. */
    synchronized Connection open(String atOnce, String trickled) {
        try {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.write(ByteBuffer.wrap(atOnce.getBytes(StandardCharsets.ISO_8859_1)));
            channel.configureBlocking(false);
            Connection connection = new Connection(channel, trickled.getBytes(StandardCharsets.ISO_8859_1));
            connections.add(connection);
            selector.wakeup();
            channel.register(selector, SelectionKey.OP_READ, connection);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() {
        driver.start();
    }

    private void drive() {
        ByteBuffer sink = ByteBuffer.allocate(16 * 1024);
        long nextByte = System.nanoTime();
        while (running) {
            try {
                selector.select(10);
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    if (!read(connection, sink)) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextByte) {
                    nextByte = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(paceMillis);
                    trickleOneByteEach();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static boolean read(Connection connection, ByteBuffer sink) {
        try {
            sink.clear();
            int n = connection.channel.read(sink);
            if (n > 0) {
                connection.lastAnswerBytesNanos = System.nanoTime();
                return true;
            }
            if (n == 0) {
                return true;
            }
        } catch (IOException reset) {
            // a reset is a closing too
        }
        connection.closedNanos = System.nanoTime();
        return false;
    }

    private synchronized void trickleOneByteEach() {
        for (Connection connection : connections) {
            if (!connection.closed() && connection.trickle.hasRemaining()) {
                try {
                    connection.channel.write(ByteBuffer.wrap(new byte[] {connection.trickle.get()}));
                } catch (IOException reset) {
                    connection.closedNanos = System.nanoTime();
                }
            }
        }
    }

    synchronized List<Connection> connections() {
        return List.copyOf(connections);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        driver.join(5_000);
        for (Connection connection : connections) {
            try {
                connection.channel.close();
            } catch (IOException ignored) {
                // closing what the server may have closed already
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to close
        }
    }
}
