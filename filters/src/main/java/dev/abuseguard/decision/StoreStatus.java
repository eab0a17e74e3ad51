package dev.abuseguard.decision;

/**
 * @param store        the store meant to decide: {@code redis} or {@code memory}
 * @param breaker      the circuit breaker's state in front of it ({@code none} without one)
 * @param storeDeciding whether that store is deciding now, or the actions' {@code on-store-failure} is
 * @param reason       why the store failed last, in words (a refused TLS handshake, refused credentials, no
 *                     answer in time); {@code null} while it answers
 */
public record StoreStatus(String store, String breaker, boolean storeDeciding, String reason) {

    public StoreStatus(String store, String breaker, boolean storeDeciding) {
        this(store, breaker, storeDeciding, null);
    }
}
