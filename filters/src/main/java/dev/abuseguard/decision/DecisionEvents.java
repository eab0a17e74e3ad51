package dev.abuseguard.decision;

/**
 * What the chain reports as it decides: violations and new blocks (for the audit trail and alerts), shadow
 * refusals, blocks written back after an outage, and the shared store failing over and recovering. Called off
 * the request path's critical section: an implementation queues or logs, never blocks.
 */
public interface DecisionEvents {

    /** Reports nothing: for a chain whose events nobody reads. */
    DecisionEvents NONE = new DecisionEvents() {
    };

    /** @param blockedUntil when the new block ends (epoch ms), -1 until lifted; 0 when not newly blocked */
    default void violation(String userId, String action, long score, boolean newlyBlocked, long blockedUntil) {
    }

    /** @param outcome what enforcing would have answered, lower case ({@code rate_limited}, ...) */
    default void shadowViolation(String userId, String action, String outcome, long score) {
    }

    /** A block decided locally while the shared store was away, written to it once it was back. */
    default void blockedWhileAway(String userId, long score, long blockedUntil) {
    }

    default void storeFailedOver(String detail) {
    }

    default void storeRecovered(String detail) {
    }
}
