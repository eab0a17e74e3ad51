package dev.abuseguard.gateway.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;

/** Signs interactions the way Discord does: an Ed25519 key of the test's own, over timestamp + body. */
public final class DiscordSigner {

    public static final String SIGNATURE = "X-Signature-Ed25519";
    public static final String TIMESTAMP = "X-Signature-Timestamp";

    private final KeyPair keys;
    private final Clock clock;

    private DiscordSigner(KeyPair keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A fresh key pair; timestamps from {@code clock}, the gateway's clock in the tests. */
    public static DiscordSigner generate(Clock clock) {
        try {
            return new DiscordSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), clock);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as Discord's developer portal shows it: the 32 raw bytes in hex (the X.509 form's tail). */
    public String publicKeyHex() {
        byte[] encoded = keys.getPublic().getEncoded();
        return HexFormat.of().formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    public long nowSeconds() {
        return clock.millis() / 1000;
    }

    public String signatureHex(String timestamp, byte[] body) {
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

    /** The signature headers of {@code body}, signed now. */
    public Consumer<HttpHeaders> headers(byte[] body) {
        return headers(Long.toString(nowSeconds()), body);
    }

    public Consumer<HttpHeaders> headers(String timestamp, byte[] body) {
        String signature = signatureHex(timestamp, body);
        return headers -> {
            headers.set(SIGNATURE, signature);
            headers.set(TIMESTAMP, timestamp);
        };
    }
}
