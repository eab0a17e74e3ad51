package dev.abuseguard.abuse;

/**
 * A user as the admin API shows it.
 *
 * @param blockedUntil epoch ms a timed block ends; -1 until lifted; 0 when not blocked
 * @param blocks       automatic blocks while the user's record is kept (growing bans count them)
 */
public record UserStanding(String userId, long score, boolean blocked, long blockedUntil, long violations,
                           String lastAction, long lastViolationAt, long blocks) {
}
