package dev.abuseguard.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.abuseguard.gateway.testsupport.GatewayProcess;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A 50 MB upload to an allowed route reaches the backend byte for byte through a gateway whose heap
 * (96 MB) and direct memory (32 MB) could not hold it: the body streams, it is never gathered.
 */
class StreamingBodyJarIT {

    private static final long SIZE = 50L * 1024 * 1024;

    @Test
    void aFiftyMegabyteBodyStreamsThroughUntouched() throws Exception {
        // the backend hashes what it receives as it arrives, and answers with the count and the hash
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            MessageDigest digest = sha256();
            long received = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream body = exchange.getRequestBody()) {
                for (int n; (n = body.read(buffer)) > 0; received += n) {
                    digest.update(buffer, 0, n);
                }
            }
            byte[] answer = (received + ":" + HexFormat.of().formatHex(digest.digest())).getBytes();
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        backend.start();
        Path routes = Files.createTempFile("routes", ".yml");
        Files.writeString(routes, """
                spring.cloud.gateway.server.webflux.routes:
                  - id: uploads
                    uri: http://127.0.0.1:%d
                    predicates: [ "Path=/uploads/**" ]
                    filters: [ "AbuseGuard=upload" ]
                abuse-guard:
                  actions:
                    upload: { limit: 5, window: 1m, strategy: token-bucket }
                  store: { redis: { enabled: false } }
                """.formatted(backend.getAddress().getPort()));

        try (GatewayProcess gateway = GatewayProcess.start(Map.of("ROUTES_FILE", routes.toString()),
                List.of("-Xmx96m", "-XX:MaxDirectMemorySize=32m"))) {
            MessageDigest sent = sha256();
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/uploads/video"))
                            .header("X-User-Id", "uploader")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PseudoRandomBytes(SIZE, sent)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(gateway.log()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(SIZE + ":" + HexFormat.of().formatHex(sent.digest()));
            assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
        } finally {
            backend.stop(0);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} bytes made up as they are read, hashed on the way out. */
    private static final class PseudoRandomBytes extends InputStream {
        private final Random random = new Random(42);
        private final MessageDigest digest;
        private long left;

        PseudoRandomBytes(long size, MessageDigest digest) {
            this.left = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, buffer, offset, n);
            digest.update(chunk);
            left -= n;
            return n;
        }
    }
}
