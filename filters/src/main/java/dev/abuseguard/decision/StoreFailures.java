package dev.abuseguard.decision;

import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why the shared store fails, in words an operator can act on, kept for health and logged once per change
 * (a failure of another kind, or the store answering again), not once per request.
 */
final class StoreFailures {

    private static final Logger log = LoggerFactory.getLogger(StoreFailures.class);

    private volatile String reason;

    /** The reason of the last failure, or {@code null} since the store last answered. */
    String reason() {
        return reason;
    }

    void failed(Throwable error) {
        String now = describe(error);
        if (!now.equals(reason)) {
            reason = now;
            log.warn("event=store_unavailable reason=\"{}\"", now.replace("\"", "'"));
        }
    }

    /** On the path of every answered decision: one volatile read while all is well. */
    void answered() {
        if (reason != null) {
            reason = null;
            log.info("event=store_available");
        }
    }

    static String describe(Throwable failure) {
        Throwable error = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            String kind = kind(cause);
            if (kind != null) {
                return kind + ": " + cause.getMessage();
            }
        }
        return "Redis failed: " + error;
    }

    private static String kind(Throwable cause) {
        String type = cause.getClass().getName();
        String message = String.valueOf(cause.getMessage());
        if (type.startsWith("javax.net.ssl.")) {
            return "TLS refused (check spring.data.redis.ssl.* and the SSL bundle)";
        }
        if (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH") || message.startsWith("NOPERM")
                || message.contains("invalid username-password")) {
            return "Redis refused the credentials (check spring.data.redis.username and password)";
        }
        if (type.endsWith("RedisCommandTimeoutException")) {
            return "Redis did not answer within the time limit";
        }
        if (type.endsWith("ConnectException") || message.contains("Connection refused")) {
            return "Redis refused the connection";
        }
        return null;
    }
}
