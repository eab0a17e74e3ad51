package dev.abuseguard.decision;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why the shared store fails, in words an operator can act on, kept for health and logged once per change
 * (a failure of another kind, or the store answering again), not once per request. While part of a cluster is
 * down, decisions for its slots fail between the answered ones of the other masters, so the store changes on
 * nearly every request: changes are logged at most once a second, the line telling how many went unlogged,
 * and the state the store is in is always logged in the end.
 */
final class StoreFailures {

    private static final Logger log = LoggerFactory.getLogger(StoreFailures.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoTime;
    private final AtomicInteger changes = new AtomicInteger();
    private volatile String reason;
    /** The state the log last told: a reason, or {@code null} for answering. */
    private volatile String logged;
    private volatile long loggedAtNanos;

    StoreFailures() {
        this(System::nanoTime);
    }

    StoreFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.loggedAtNanos = nanoTime.getAsLong() - LOG_INTERVAL_NANOS;
    }

    /** The reason of the last failure, or {@code null} since the store last answered. */
    String reason() {
        return reason;
    }

    void failed(Throwable error) {
        String now = describe(error);
        if (!now.equals(reason)) {
            reason = now;
            changes.incrementAndGet();
        }
        if (!now.equals(logged)) {
            tell(now);
        }
    }

    /** On the path of every answered decision: two volatile reads while all is well. */
    void answered() {
        if (reason != null) {
            reason = null;
            changes.incrementAndGet();
        }
        if (logged != null) {
            tell(null);
        }
    }

    private void tell(String state) {
        long now = nanoTime.getAsLong();
        if (now - loggedAtNanos < LOG_INTERVAL_NANOS) {
            return; // told at the next failure or answer after the interval, whichever state it is then
        }
        synchronized (this) {
            if (Objects.equals(state, logged) || now - loggedAtNanos < LOG_INTERVAL_NANOS) {
                return;
            }
            int since = changes.getAndSet(0);
            String more = since > 1 ? " changes_since_last_line=" + since : "";
            if (state == null) {
                log.info("event=store_available{}", more);
            } else {
                log.warn("event=store_unavailable reason=\"{}\"{}", state.replace("\"", "'"), more);
            }
            logged = state;
            loggedAtNanos = now;
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
