package dev.abuseguard.gateway.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection kept alive across requests, as a bot's HTTP client or connection pool keeps it: each
 * request written byte for byte, each answer read whole (by Content-Length or chunks) before the caller goes on.
 * An answer that does not come within the read limit is reported as {@code null}, and the connection is spent.
 */
final class KeptAliveConnection implements AutoCloseable {

    /** A status line, its headers (names lower-cased) and the body as text. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean closesConnection() {
            return "close".equalsIgnoreCase(header("connection"));
        }
    }

    private final int port;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private KeptAliveConnection(int port, Duration readLimit) throws IOException {
        this.port = port;
        this.socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
        socket.setSoTimeout((int) readLimit.toMillis());
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static KeptAliveConnection open(int port, Duration readLimit) {
        try {
            return new KeptAliveConnection(port, readLimit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of one request; {@code headerLines} end in CRLF each; a body gets its Content-Length. */
    String request(String method, String target, String headerLines, String body) {
        String length = body.isEmpty() && (method.equals("GET") || method.equals("DELETE")) ? ""
                : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n";
        return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headerLines + length
                + "\r\n" + body;
    }

    /** Writes the given requests in one write (one request, or several pipelined). */
    void write(String... requests) {
        try {
            out.write(String.join("", requests).getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next answer, or {@code null} when none came within the read limit or the server closed the connection. */
    Answer read() {
        try {
            String head = readHead();
            if (head == null) {
                return null;
            }
            String[] lines = head.split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1)
                        .trim());
            }
            String body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = readChunks();
            } else {
                body = new String(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))),
                        StandardCharsets.UTF_8);
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one request and reads its answer. */
    Answer exchange(String request) {
        write(request);
        return read();
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private String readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
            if (size == 0) {
                readLine();
                return body.toString(StandardCharsets.UTF_8);
            }
            body.writeBytes(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
