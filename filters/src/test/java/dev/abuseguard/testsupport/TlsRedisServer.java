package dev.abuseguard.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} that speaks TLS only ({@code --port 0 --tls-port p}) and demands a client
 * certificate, with one ACL user ({@link #USER}/{@link #PASSWORD}) and the default user off. The
 * certificates (a CA, the server's for 127.0.0.1 and localhost, a client's) are made by {@code openssl}
 * in a fresh directory. Fails, never skips, when redis-server or openssl is missing.
 */
public final class TlsRedisServer implements AutoCloseable {

    public static final String USER = "gateway";
    public static final String PASSWORD = "s3cret-gateway";

    private final Path dir;
    private final int port;
    private final Process process;

    private TlsRedisServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static TlsRedisServer start() {
        try {
            Path dir = Files.createTempDirectory("abuse-guard-redis-tls");
            makeCertificates(dir);
            int port = RedisServer.freePort();
            List<String> command = List.of(RedisServer.findBinary("redis-server"),
                    "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--tls-cert-file", dir.resolve("server.crt").toString(),
                    "--tls-key-file", dir.resolve("server.key").toString(),
                    "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
                    "--tls-auth-clients", "yes",
                    "--user", "default", "off",
                    "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            TlsRedisServer server = new TlsRedisServer(dir, port, process);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start a TLS redis-server: " + e.getMessage(), e);
        }
    }

    private static void makeCertificates(Path dir) throws IOException {
        String openssl = RedisServer.findBinaryOr("openssl", "Install it (Debian/Ubuntu: 'sudo apt-get install "
                + "openssl'); ./test.sh installs it by itself.");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        run(dir, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        for (String name : List.of("server", "client")) {
            run(dir, openssl, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name,
                    "-keyout", name + ".key", "-out", name + ".csr");
            run(dir, openssl, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
        }
        // redis-server runs as this user and reads its key itself; the JVM reads the client's PKCS#8 key
        run(dir, openssl, "pkcs8", "-topk8", "-nocrypt", "-in", "client.key", "-out", "client.pk8");
    }

    private static void run(Path dir, String... command) throws IOException {
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("TLS redis-server exited at start: " + log());
            }
            if (log().contains("Ready to accept connections")) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("TLS redis-server not ready within 10 s: " + log());
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("redis.log"));
    }

    public int port() {
        return port;
    }

    /** A file of the test's certificates: {@code ca.crt}, {@code client.crt}, {@code client.pk8}, ... */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Runs one command with {@code redis-cli} over TLS as the ACL user; the reply, one line per element. */
    public List<String> run(String... args) {
        List<String> command = new ArrayList<>(List.of(RedisServer.findBinary("redis-cli"), "--tls",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "--cacert", file("ca.crt").toString(),
                "--cert", file("client.crt").toString(), "--key", file("client.key").toString(),
                "--user", USER, "--pass", PASSWORD, "--no-auth-warning"));
        command.addAll(List.of(args));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes());
            if (!cli.waitFor(10, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed: " + out);
            }
            return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
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
