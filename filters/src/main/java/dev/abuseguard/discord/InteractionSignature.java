package dev.abuseguard.discord;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.HttpHeaders;

/**
 * Discord's signature of an interaction: Ed25519 (the JDK's own EdDSA) over the timestamp header followed by
 * the raw body, with the application's public key. The headers are checked before the body is read, the
 * signature once it is; only then is anything of the request looked at.
 */
final class InteractionSignature {

    static final String SIGNATURE = "X-Signature-Ed25519";
    static final String TIMESTAMP = "X-Signature-Timestamp";
    /** How far a signed timestamp may be from this gateway's clock: Discord's own advice against replays. */
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "Ed25519";
    /** The DER of an Ed25519 SubjectPublicKeyInfo (RFC 8410) up to its 32 key bytes, which Discord gives alone. */
    private static final byte[] KEY_INFO_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int KEY_BYTES = 32;
    private static final int SIGNATURE_HEX_DIGITS = 128;
    private static final int MAX_TIMESTAMP_DIGITS = 12;

    /** The signature headers of one request, well formed and fresh; not yet checked against a body. */
    record Signed(byte[] signature, byte[] timestamp) {
    }

    private final PublicKey key;
    private final Clock clock;

    private InteractionSignature(PublicKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** @throws IllegalArgumentException when the hex is not an Ed25519 public key */
    static InteractionSignature of(String publicKeyHex, Clock clock) {
        byte[] raw;
        try {
            raw = HexFormat.of().parseHex(publicKeyHex);
        } catch (IllegalArgumentException notHex) {
            throw new IllegalArgumentException("is not hexadecimal");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("is " + raw.length + " bytes long; an Ed25519 public key is "
                    + KEY_BYTES + " (64 hexadecimal digits)");
        }
        byte[] encoded = new byte[KEY_INFO_PREFIX.length + KEY_BYTES];
        System.arraycopy(KEY_INFO_PREFIX, 0, encoded, 0, KEY_INFO_PREFIX.length);
        System.arraycopy(raw, 0, encoded, KEY_INFO_PREFIX.length, KEY_BYTES);
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
            Signature.getInstance(ALGORITHM).initVerify(key); // decodes the point: a key off the curve fails here
            return new InteractionSignature(key, clock);
        } catch (GeneralSecurityException invalid) {
            throw new IllegalArgumentException("is not an Ed25519 public key (" + invalid.getMessage() + ")");
        }
    }

    /** @throws Refusal (401) when a header is missing, repeated, malformed, or the timestamp is not fresh */
    Signed signed(HttpHeaders headers) {
        String signature = single(headers, SIGNATURE);
        String timestamp = single(headers, TIMESTAMP);
        if (signature.length() != SIGNATURE_HEX_DIGITS) {
            throw Refusal.unverified("The " + SIGNATURE + " header must be " + SIGNATURE_HEX_DIGITS
                    + " hexadecimal digits.");
        }
        byte[] signatureBytes;
        try {
            signatureBytes = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException notHex) {
            throw Refusal.unverified("The " + SIGNATURE + " header must be hexadecimal.");
        }
        if (timestamp.isEmpty() || timestamp.length() > MAX_TIMESTAMP_DIGITS || !timestamp.chars().allMatch(
                c -> c >= '0' && c <= '9')) {
            throw Refusal.unverified("The " + TIMESTAMP + " header must be the signing time in Unix seconds.");
        }
        long skewMillis = Math.abs(clock.millis() - Long.parseLong(timestamp) * 1000);
        if (skewMillis > TOLERANCE.toMillis()) {
            throw Refusal.unverified("The " + TIMESTAMP + " header is more than " + TOLERANCE.toMinutes()
                    + " minutes away from this gateway's clock.");
        }
        return new Signed(signatureBytes, timestamp.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws Refusal (401) unless the signature is the application's, over the timestamp and these bytes */
    void verify(Signed signed, byte[] body) {
        boolean valid;
        try {
            Signature ed25519 = Signature.getInstance(ALGORITHM);
            ed25519.initVerify(key);
            ed25519.update(signed.timestamp());
            ed25519.update(body);
            valid = ed25519.verify(signed.signature());
        } catch (GeneralSecurityException malformed) {
            valid = false; // e.g. a signature whose scalar is out of range: as wrong as any other
        }
        if (!valid) {
            throw Refusal.unverified("The signature does not match the timestamp and body with the application's key.");
        }
    }

    private static String single(HttpHeaders headers, String name) {
        List<String> values = headers.get(name);
        if (values == null || values.isEmpty()) {
            throw Refusal.unverified("The " + name + " header is required.");
        }
        if (values.size() > 1) {
            throw Refusal.unverified("The " + name + " header must be sent once.");
        }
        return values.get(0);
    }
}
