package dev.abuseguard.audit;

/**
 * One entry of the audit trail.
 *
 * @param id           the trail's id for it (the Redis stream id, or a sequence number in memory); empty before it is
 * stored
 * @param userId       the user as given; empty for events about the gateway (fail-over)
 * @param by           who did it: {@code gateway}, or the admin token's label
 * @param detail       free text: a ban's reason and duration, the store's state
 * @param blockedUntil block and ban events: epoch ms the block ends, negative until lifted; otherwise 0
 */
public record AuditEvent(String id, EventType type, long atMillis, String userId, String action, long score,
                         String by, String detail, long blockedUntil) {

    public static AuditEvent of(EventType type, long atMillis, String userId, String action, long score, String by,
                                String detail, long blockedUntil) {
        return new AuditEvent("", type, atMillis, userId, action, score, by, detail, blockedUntil);
    }

    public AuditEvent withId(String newId) {
        return new AuditEvent(newId, type, atMillis, userId, action, score, by, detail, blockedUntil);
    }
}
