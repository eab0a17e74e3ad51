package dev.abuseguard.gateway.discord;

import dev.abuseguard.gateway.AbuseGuardApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway application started in-process as an operator starts the jar (a routes file, Redis, a free port,
 * the test's clock), with an Ed25519 key of the test's own as the application's key: interactions are signed as
 * Discord signs them, over the timestamp and the raw body.
 */
final class ModeratorGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final KeyPair keys;
    private final Clock clock;
    private final WebTestClient client;

    private ModeratorGateway(ConfigurableApplicationContext context, KeyPair keys, Clock clock) {
        this.context = context;
        this.keys = keys;
        this.clock = clock;
        this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port())
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    static ModeratorGateway start(String routesYaml, int redisPort, Clock clock, String... extraArgs) {
        KeyPair keys;
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        List<String> args = new ArrayList<>(List.of("--ROUTES_FILE=" + write(routesYaml), "--server.port=0",
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort,
                "--DISCORD_PUBLIC_KEY=" + publicKeyHex(keys)));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AbuseGuardApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("abuseGuardClock", clock))
                .run(args.toArray(String[]::new));
        return new ModeratorGateway(context, keys, clock);
    }

    WebTestClient client() {
        return client;
    }

    /** POSTs a signed interaction to {@code /interactions}. */
    WebTestClient.ResponseSpec send(byte[] body) {
        String timestamp = Long.toString(clock.millis() / 1000);
        return client.post().uri("/interactions").contentType(MediaType.APPLICATION_JSON)
                .header("X-Signature-Ed25519", sign(timestamp, body))
                .header("X-Signature-Timestamp", timestamp)
                .bodyValue(body).exchange();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    private int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private String sign(String timestamp, byte[] body) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            signer.update(body);
            return HexFormat.of().formatHex(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As Discord's developer portal shows it: the 32 raw bytes in hex, the X.509 form's tail. */
    private static String publicKeyHex(KeyPair keys) {
        byte[] encoded = keys.getPublic().getEncoded();
        return HexFormat.of().formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    private static Path write(String routesYaml) {
        try {
            Path file = Files.createTempFile("routes", ".yml");
            Files.writeString(file, routesYaml);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
