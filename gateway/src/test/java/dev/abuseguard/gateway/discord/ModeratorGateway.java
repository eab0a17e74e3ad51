package dev.abuseguard.gateway.discord;

import dev.abuseguard.gateway.testsupport.DiscordSigner;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway application ({@link GatewayApp}) with an Ed25519 key of the test's own as the application's key
 * ({@link DiscordSigner}): interactions are signed as Discord signs them, over the timestamp and the raw body.
 */
final class ModeratorGateway implements AutoCloseable {

    private final GatewayApp app;
    private final DiscordSigner signer;
    private final WebTestClient client;

    private ModeratorGateway(GatewayApp app, DiscordSigner signer) {
        this.app = app;
        this.signer = signer;
        this.client = app.client();
    }

    static ModeratorGateway start(String routesYaml, int redisPort, Clock clock, String... extraArgs) {
        DiscordSigner signer = DiscordSigner.generate(clock);
        String[] args = Arrays.copyOf(extraArgs, extraArgs.length + 1);
        args[extraArgs.length] = "--DISCORD_PUBLIC_KEY=" + signer.publicKeyHex();
        return new ModeratorGateway(GatewayApp.start(routesYaml, redisPort, clock, args), signer);
    }

    WebTestClient client() {
        return client;
    }

    /** POSTs a signed interaction to {@code /interactions}. */
    WebTestClient.ResponseSpec send(byte[] body) {
        return client.post().uri("/interactions").contentType(MediaType.APPLICATION_JSON)
                .headers(signer.headers(body)).bodyValue(body).exchange();
    }

    <T> T bean(Class<T> type) {
        return app.bean(type);
    }

    @Override
    public void close() {
        app.close();
    }
}
