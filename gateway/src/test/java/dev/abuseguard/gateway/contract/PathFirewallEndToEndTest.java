package dev.abuseguard.gateway.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proxied requests skip Spring Security, not the checks of the path: spellings a backend could normalize
 * differently are refused before any route, for proxied paths and the admin API alike, and so is a method
 * other than the standard ones.
 */
class PathFirewallEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes();

    @ParameterizedTest
    @ValueSource(strings = {"//packs/open", "/packs//open", "/packs/./open", "/tiny/../packs/open",
            "/packs/%2e%2e/open", "/packs%2Fopen", "/packs/open;jsessionid=x", "/packs%5copen",
            "/admin//api/stats", "/admin/api/../api/stats"})
    void aPathSpellingIsRefusedBeforeAnyRoute(String path) throws IOException {
        gateway.backend().resetRequests();

        String status = raw("GET", path);

        assertThat(status).as(path).startsWith("HTTP/1.1 400");
        assertThat(gateway.backend().findAll(anyRequestedFor(anyUrl()))).as(path).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "CONNECT", "PROPFIND", "FOO"})
    void anUnusualMethodIsRefusedAndNotForwarded(String method) throws IOException {
        gateway.backend().resetRequests();

        String status = raw(method, "/packs/open");

        assertThat(status).as(method).startsWith("HTTP/1.1 400");
        assertThat(gateway.backend().findAll(anyRequestedFor(anyUrl()))).as(method).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "DELETE"})
    void aStandardMethodOnAPlainPathIsForwarded(String method) throws IOException {
        gateway.backend().resetRequests();

        String status = raw(method, "/packs/open");

        assertThat(status).as(method).startsWith("HTTP/1.1 200");
        assertThat(gateway.backend().findAll(anyRequestedFor(anyUrl()))).as(method).hasSize(1);
    }

    /** The status line of a request sent byte for byte as written, which no HTTP client library would do. */
    private static String raw(String method, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nContent-Length: 0\r\nHost: 127.0.0.1\r\n"
                    + "X-User-Id: path-user\r\nAuthorization: " + GatewayExtension.bearer()
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
