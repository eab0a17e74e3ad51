package dev.abuseguard.abuse;

/**
 * How violations turn into an abuse score. Each violation adds
 * {@code points * (100 + repeatMultiplierPercent * k) / 100} (integer division), where {@code k} is the
 * number of the user's violations within the preceding {@code repeatWindowMillis}.
 *
 * @param blockDurationMillis how long an automatic block lasts; 0 means until an admin lifts it
 * @param retentionMillis     how long a user's abuse record is kept after its last violation (every key has a TTL)
 * @param historySize         how many of a user's violations are kept (the repeat count looks at these only)
 * @param halfLifeMillis      how fast scores decay after the last violation; 0 means they do not
 * @param blockRetentionMillis how long the record of a ban or a block until lifted is kept without a single
 *                            request from the user (each request Redis answers for them renews it)
 * @param blockFactorPercent  growing bans: the n-th automatic block of a user (counted while their record is
 *                            kept) lasts {@code blockDurationMillis * (factor/100)^(n-1)}; 100 keeps every block
 *                            at the block duration
 * @param maxBlockMillis      the longest a growing block lasts
 */
public record ScoringRules(long points, long repeatMultiplierPercent, long repeatWindowMillis, long blockThreshold,
                           long blockDurationMillis, long retentionMillis, int historySize, long halfLifeMillis,
                           long blockRetentionMillis, long blockFactorPercent, long maxBlockMillis) {

    /** Factor and longest block bounded so that the growing length stays exact in Lua's doubles (below 2^53). */
    public static final long MAX_BLOCK_FACTOR_PERCENT = 10_000;
    public static final long MAX_BLOCK_MILLIS = 3650L * 24 * 3_600_000;

    public ScoringRules {
        if (points < 1 || repeatMultiplierPercent < 0 || repeatWindowMillis < 1 || blockThreshold < 1
                || blockDurationMillis < 0 || retentionMillis < 1 || historySize < 1 || halfLifeMillis < 0
                || blockRetentionMillis < 1 || blockFactorPercent < 100 || blockFactorPercent > MAX_BLOCK_FACTOR_PERCENT
                || maxBlockMillis < 1 || maxBlockMillis > MAX_BLOCK_MILLIS) {
            throw new IllegalArgumentException("invalid scoring rules: " + this);
        }
    }

    /** The seed's rules as they were: every automatic block lasts the block duration. */
    public ScoringRules(long points, long repeatMultiplierPercent, long repeatWindowMillis, long blockThreshold,
                        long blockDurationMillis, long retentionMillis, int historySize, long halfLifeMillis,
                        long blockRetentionMillis) {
        this(points, repeatMultiplierPercent, repeatWindowMillis, blockThreshold, blockDurationMillis, retentionMillis,
                historySize, halfLifeMillis, blockRetentionMillis, 100, 30L * 24 * 3_600_000);
    }

    /**
     * The defaults of the seed: 10 points, +50% per recent repeat, 1 h repeat window, block at 100, no decay;
     * records kept 30 days, bans and blocks until lifted 365 days.
     */
    public static ScoringRules defaults() {
        return new ScoringRules(10, 50, 3_600_000, 100, 0, 30L * 24 * 3_600_000, 100, 0, 365L * 24 * 3_600_000);
    }

    public ScoringRules withBlockDuration(long millis) {
        return new ScoringRules(points, repeatMultiplierPercent, repeatWindowMillis, blockThreshold, millis,
                retentionMillis, historySize, halfLifeMillis, blockRetentionMillis, blockFactorPercent, maxBlockMillis);
    }

    public ScoringRules withHalfLife(long millis) {
        return new ScoringRules(points, repeatMultiplierPercent, repeatWindowMillis, blockThreshold,
                blockDurationMillis, retentionMillis, historySize, millis, blockRetentionMillis, blockFactorPercent,
                maxBlockMillis);
    }

    public ScoringRules withRetention(long millis, long blockMillis) {
        return new ScoringRules(points, repeatMultiplierPercent, repeatWindowMillis, blockThreshold,
                blockDurationMillis, millis, historySize, halfLifeMillis, blockMillis, blockFactorPercent,
                maxBlockMillis);
    }

    /**
     * Growing bans: each automatic block {@code factorPercent}/100 times as long as the one before, at most {@code
     * max}.
     */
    public ScoringRules withGrowingBlocks(long factorPercent, long maxMillis) {
        return new ScoringRules(points, repeatMultiplierPercent, repeatWindowMillis, blockThreshold,
                blockDurationMillis, retentionMillis, historySize, halfLifeMillis, blockRetentionMillis, factorPercent,
                maxMillis);
    }

    /**
     * How long, from now, the record of a violation is kept: a user never blocked only while their score can
     * still matter (earlier violations count within the repeat window; with decay, the score is gone after as
     * many half-lives as it has bits), so ids a client invents and drops cost Redis that long, not
     * {@code retention}; once blocked, as {@link #keepMillis(long, long)}. Twin of decide-tail.lua.
     */
    public long keepMillis(long blockedUntil, long score, long blocks, long nowMillis) {
        if (blockedUntil != 0 || blocks > 0) {
            return keepMillis(blockedUntil, nowMillis);
        }
        if (halfLifeMillis == 0) {
            return retentionMillis;
        }
        long decayed = halfLifeMillis >= retentionMillis ? retentionMillis
                : halfLifeMillis * (Long.SIZE - Long.numberOfLeadingZeros(score));
        return Math.min(retentionMillis, Math.max(repeatWindowMillis, decayed));
    }

    /** How long a record is kept that blocks until {@code blockedUntil} (see {@link AbuseRecord}), from now. */
    public long keepMillis(long blockedUntil, long nowMillis) {
        if (blockedUntil < 0) {
            return Math.max(retentionMillis, blockRetentionMillis);
        }
        return Math.max(retentionMillis, blockedUntil - nowMillis);
    }

    long pointsFor(long recentViolations) {
        return points * (100 + repeatMultiplierPercent * recentViolations) / 100;
    }
}
