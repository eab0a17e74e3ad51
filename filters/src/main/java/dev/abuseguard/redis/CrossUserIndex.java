package dev.abuseguard.redis;

/**
 * The keys of the cross-user indexes, which share the hash tag {@code {idx}} so that one script updates them
 * all (twin of {@code cross-user-index.lua}). The admin reads them instead of walking every user.
 */
public final class CrossUserIndex {

    /** User → score, plus {@link #BLOCKED_RANK} while blocked, {@link #BAN_RANK} while banned. */
    public static final String SCORES = "ag:{idx}:scores";
    /** User → when the block ends ({@code +inf} until lifted). */
    public static final String BLOCKED = "ag:{idx}:blocked";
    /** Totals over all users ({@code violations}). */
    public static final String TOTALS = "ag:{idx}:totals";
    /** The audit stream. */
    public static final String EVENTS = "ag:{idx}:events";
    /** User → when the user's record expires; an entry whose record is gone leaves every index. */
    public static final String EXPIRY = "ag:{idx}:expiry";

    /** Added to a blocked user's score: they are listed first and evicted after everyone but the banned. */
    public static final double BLOCKED_RANK = 1e12;
    /**
     * Added to a banned user's score instead: above every block, whatever the scores, so that a full index evicts
     * bans last (a ban with score 0 would otherwise rank below any automatic block).
     */
    public static final double BAN_RANK = 2e12;

    /** Appends an event to the stream and updates the indexes with it (see the script's header). */
    public static final LuaScript RECORD_EVENT = LuaScript.load("/dev/abuseguard/redis/record-event.lua");
    /** Drops what has expired from the indexes. */
    public static final LuaScript PRUNE = LuaScript.load("/dev/abuseguard/redis/prune-index.lua");

    private CrossUserIndex() {
    }

    /** The score in a ranked entry of {@link #SCORES}. */
    public static long unranked(double ranked) {
        double rank = ranked >= BAN_RANK ? BAN_RANK : ranked >= BLOCKED_RANK ? BLOCKED_RANK : 0;
        return (long) Math.max(0, ranked - rank);
    }

    /** The KEYS of {@link #RECORD_EVENT}. */
    public static String[] recordKeys() {
        return new String[] {SCORES, BLOCKED, TOTALS, EVENTS, EXPIRY};
    }

    /** The KEYS of {@link #PRUNE}. */
    public static String[] pruneKeys() {
        return new String[] {SCORES, BLOCKED, EXPIRY};
    }
}
