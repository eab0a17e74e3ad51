package dev.abuseguard.discord;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.bench.jmh.SimulatedClock;
import dev.abuseguard.filter.BenchExchanges;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the DiscordInteractions filter adds to a verified, allowed interaction, without a network: the whole
 * filter (signature headers, body, Ed25519 verification, parsing, action, in-memory decision, the request
 * forwarded to a chain that does nothing), and its two costly parts alone. 1,000 users take turns, each with a
 * slash command of about 600 bytes signed at set-up; the clock stands still, so every signature stays fresh and
 * the limit (1,000,000 a minute) is never reached. The trip to Redis is not in it: it is the AbuseGuard
 * filter's own, one {@code EVALSHA}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DiscordInteractionsBenchmark {

    private static final int USERS = 1000;

    private final SimulatedClock clock = new SimulatedClock();
    private ServerWebExchange[] exchanges;
    private byte[][] bodies;
    private InteractionSignature.Signed[] signatures;
    private InteractionSignature signature;
    private InteractionParser parser;
    private GatewayFilter filter;
    private long forwarded;
    private long invocations;
    private int next;
    private final GatewayFilterChain countingDownstream = exchange -> {
        forwarded++;
        return Mono.empty();
    };

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = keys.getPublic().getEncoded();
        String publicKey = HexFormat.of().formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
        LivePolicies policies = new LivePolicies(properties(publicKey));
        ScoringRules rules = ScoringRules.defaults();
        JsonMapper json = new JsonMapper();
        filter = new DiscordInteractionsGatewayFilterFactory(policies, new InMemoryDecisionStore(clock, () -> rules,
                100_000), json, clock, () -> null, firstTimeAlways()).apply(new DiscordInteractionsGatewayFilterFactory.Config());
        signature = InteractionSignature.of(publicKey, clock);
        parser = new InteractionParser(json);

        String timestamp = Long.toString(clock.millis() / 1000);
        exchanges = new ServerWebExchange[USERS];
        bodies = new byte[USERS][];
        signatures = new InteractionSignature.Signed[USERS];
        for (int i = 0; i < USERS; i++) {
            bodies[i] = command(Long.toString(300_000_000_000_000_000L + i * 7919L));
            String signed = sign(keys, timestamp, bodies[i]);
            Map<String, String> headers = Map.of(InteractionSignature.SIGNATURE, signed,
                    InteractionSignature.TIMESTAMP, timestamp);
            exchanges[i] = BenchExchanges.exchange(BenchExchanges.post("/interactions", headers, bodies[i]));
            signatures[i] = new InteractionSignature.Signed(HexFormat.of().parseHex(signed),
                    timestamp.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Bound the way Spring Boot binds routes.yml, so every default applies as in the gateway. */
    private static AbuseGuardProperties properties(String publicKey) {
        Map<String, String> config = Map.of(
                "abuse-guard.actions.bench.limit", "1000000",
                "abuse-guard.actions.bench.window", "1m",
                "abuse-guard.actions.bench.strategy", "token-bucket",
                "abuse-guard.discord.public-key", publicKey,
                "abuse-guard.discord.default-action", "bench");
        return new Binder(new MapConfigurationPropertySource(config))
                .bindOrCreate("abuse-guard", AbuseGuardProperties.class);
    }

    /** A slash command in a guild, shaped and sized as Discord sends one. */
    private static byte[] command(String userId) {
        return ("{\"app_permissions\":\"562949953421311\",\"application_id\":\"1100000000000000000\","
                + "\"authorizing_integration_owners\":{\"0\":\"613425648685547541\"},\"channel_id\":"
                + "\"1200000000000000000\",\"context\":0,\"data\":{\"id\":\"1300000000000000000\",\"name\":\"open\","
                + "\"options\":[{\"name\":\"kind\",\"type\":3,\"value\":\"gold\"}],\"type\":1},\"entitlements\":[],"
                + "\"guild_id\":\"613425648685547541\",\"guild_locale\":\"en-US\",\"id\":\"1400000000000000000\","
                + "\"locale\":\"en-GB\",\"member\":{\"avatar\":null,\"deaf\":false,\"flags\":0,\"joined_at\":"
                + "\"2024-01-01T00:00:00.000000+00:00\",\"mute\":false,\"nick\":null,\"pending\":false,"
                + "\"permissions\":\"562949953421311\",\"roles\":[],\"user\":{\"avatar\":null,\"discriminator\":\"0\","
                + "\"global_name\":\"Player\",\"id\":\"" + userId + "\",\"public_flags\":0,\"username\":\"player\"}},"
                + "\"token\":\"aW50ZXJhY3Rpb246MTQwMDAwMDAwMDAwMDAwMDAwMDpzZWNyZXQ\",\"type\":2,\"version\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(KeyPair keys, String timestamp, byte[] body) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.US_ASCII));
        signer.update(body);
        return HexFormat.of().formatHex(signer.sign());
    }

    private int nextUser() {
        int user = next;
        next = user + 1 == USERS ? 0 : user + 1;
        return user;
    }

    /** The whole filter on a verified, allowed interaction, up to the request handed on to be forwarded. */
    @Benchmark
    public void verifiedAllowedInteraction() {
        invocations++;
        filter.filter(exchanges[nextUser()], countingDownstream).subscribe();
    }

    /** Ed25519 verification alone (the JDK's EdDSA), over timestamp + body. */
    @Benchmark
    public void signatureOnly() {
        int user = nextUser();
        signature.verify(signatures[user], bodies[user]);
    }

    /** Reading user, guild and command from the verified body (Jackson tree). */
    @Benchmark
    public Interaction parseOnly() {
        return parser.parse(bodies[nextUser()]);
    }

    /** Every interaction must have been forwarded: a refused one would measure another path. */
    @TearDown(Level.Trial)
    public void everyInteractionWasForwarded() {
        if (forwarded != invocations) {
            throw new IllegalStateException(forwarded + " of " + invocations + " interactions were forwarded");
        }
    }

    /** The bodies repeat across iterations: what is measured is the filter's own work, not the replay guard. */
    private static InteractionReplays firstTimeAlways() {
        return interactionId -> Mono.just(true);
    }
}
