package dev.abuseguard.gateway.server;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An answer the gateway makes before it has read the request whole (a blocked user's 403 from the copy of blocks,
 * a 400 for a request without a user id) keeps nothing of the request once it is sent. A blocked client that
 * hammers the gateway would otherwise fill its heap: each such request held its server state until the request-body
 * timeout fired, 30 s later (bench/run.sh's zipf shape ran a 512 MB heap out so, in its first run).
 */
class EarlyAnswersEndToEndTest {

    private static final int REQUESTS = 3_000;
    /** What may be alive at any moment beside this test's requests: other connections' requests in flight. */
    private static final int IN_FLIGHT_ELSEWHERE = 200;

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes()
            .with("--abuse-guard.server.request-body-timeout=1h");

    @BeforeAll
    static void ban() {
        try (KeptAliveConnection connection = KeptAliveConnection.open(gateway.port(), Duration.ofSeconds(10))) {
            assertThat(connection.exchange(connection.request("POST", "/admin/api/users/hammer/ban",
                    "Authorization: Bearer " + ADMIN_TOKEN + "\r\n", "")).status()).isEqualTo(204);
        }
    }

    @Test
    void answersSentBeforeTheRequestIsReadWholeKeepNothingOfIt() throws Exception {
        try (KeptAliveConnection connection = KeptAliveConnection.open(gateway.port(), Duration.ofSeconds(10))) {
            for (int i = 0; i < REQUESTS; i++) {
                String headers = i % 2 == 0 ? "X-User-Id: hammer\r\n" : "";
                KeptAliveConnection.Answer answer = connection.exchange(
                        connection.request("GET", "/packs/open", headers, ""));
                assertThat(answer).isNotNull();
                assertThat(answer.status()).isEqualTo(i % 2 == 0 ? 403 : 400);
            }
        }
        long alive = liveServerRequests();
        System.out.printf("FIGURES early answers: %d answered on one kept-alive connection, %d server requests alive "
                + "after a full collection%n", REQUESTS, alive);
        assertThat(alive).as("server requests alive after %d answered", REQUESTS).isLessThan(IN_FLIGHT_ELSEWHERE);
    }

    /** Reactor Netty's state of one server request, counted in the heap after a full collection. */
    private static long liveServerRequests() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Matcher row = Pattern.compile("\\s(\\d+)\\s+\\d+\\s+reactor\\.netty\\.http\\.server\\.HttpServerOperations\\s")
                .matcher(histogram);
        return row.find() ? Long.parseLong(row.group(1)) : 0;
    }
}
