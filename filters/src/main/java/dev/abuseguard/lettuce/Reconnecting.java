package dev.abuseguard.lettuce;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** A connection opened on first use, and opened again on the next use after a failed attempt. */
final class Reconnecting<C> {

    private final Supplier<CompletableFuture<C>> connector;
    private final AtomicReference<CompletableFuture<C>> attempt = new AtomicReference<>();
    private volatile C open;

    Reconnecting(Supplier<CompletableFuture<C>> connector) {
        this.connector = connector;
    }

    /** The connection if it is open, else {@code null}: the hot path asks this first and allocates nothing. */
    C ifOpen() {
        return open;
    }

    /** The open connection, or the attempt to open it (again). */
    CompletableFuture<C> open() {
        C ready = open;
        return ready != null ? CompletableFuture.completedFuture(ready) : currentAttempt();
    }

    /** {@link #open()}, deferred to subscription. */
    Mono<C> get() {
        C ready = open;
        if (ready != null) {
            return Mono.just(ready);
        }
        return Mono.defer(() -> Mono.fromFuture(currentAttempt(), true));
    }

    /**
     * The attempt under way, or a new one when there is none or the last failed. Only the caller that
     * installs the new attempt starts connecting: callers racing for it all get that one attempt, and no
     * connection is opened that nobody keeps (one opened before losing such a race would never be closed).
     */
    private CompletableFuture<C> currentAttempt() {
        while (true) {
            CompletableFuture<C> current = attempt.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<C> next = new CompletableFuture<>();
            if (attempt.compareAndSet(current, next)) {
                connect(next);
                return next;
            }
        }
    }

    private void connect(CompletableFuture<C> into) {
        CompletableFuture<C> connecting;
        try {
            connecting = connector.get();
        } catch (RuntimeException e) {
            into.completeExceptionally(e);
            return;
        }
        connecting.whenComplete((connection, failure) -> {
            if (failure != null) {
                into.completeExceptionally(failure);
            } else {
                open = connection;
                into.complete(connection);
            }
        });
    }
}
