package dev.abuseguard.abuse;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores one violation: the pure function behind both stores (its Lua twin is the tail of every
 * decision script, {@code dev/abuseguard/redis/decide-tail.lua}).
 */
public final class AbuseScoring {

    private AbuseScoring() {
    }

    public static AbuseRecord recordViolation(AbuseRecord prior, long nowMillis, String action, ScoringRules rules) {
        AbuseRecord standing = decayed(prior, nowMillis, rules);
        long recent = prior.violationsSince(nowMillis - rules.repeatWindowMillis());
        long score = standing.score() + rules.pointsFor(recent);
        long blockedUntil = standing.blockedUntil();
        long blocks = prior.blocks();
        if (score >= rules.blockThreshold()) { // a blocked user never gets here: this is a new block
            blocks++;
            blockedUntil = rules.blockDurationMillis() > 0
                    ? nowMillis + blockDurationMillis(blocks, rules) : AbuseRecord.UNTIL_LIFTED;
        }
        List<Violation> history = new ArrayList<>(prior.history());
        history.add(new Violation(nowMillis, action, score));
        if (history.size() > rules.historySize()) {
            history = history.subList(history.size() - rules.historySize(), history.size());
        }
        return new AbuseRecord(score, blockedUntil, prior.totalViolations() + 1, history, blocks);
    }

    /**
     * How long the user's {@code blocks}-th automatic block lasts (twin of {@code block_length} in
     * {@code decide-tail.lua}): the block duration, times the factor for each block before it, at most the
     * longest block; integers only, each step rounded down, and a length the factor no longer grows stays.
     * 0 when blocks last until lifted.
     */
    public static long blockDurationMillis(long blocks, ScoringRules rules) {
        long length = rules.blockDurationMillis();
        if (length == 0 || rules.blockFactorPercent() <= 100) {
            return length;
        }
        long cap = rules.maxBlockMillis();
        length = Math.min(length, cap);
        for (long n = 2; n <= blocks && length < cap; n++) {
            long grown = length * rules.blockFactorPercent() / 100;
            if (grown <= length) {
                break;
            }
            length = Math.min(grown, cap);
        }
        return length;
    }

    /**
     * The record as it stands at {@code now} when scores decay: the score halves every half-life after the
     * last violation (falling linearly within each half-life, integers only, as the Lua twin computes it),
     * and an automatic block lifts once the score is below the threshold. Bans and timed blocks stay.
     */
    public static AbuseRecord decayed(AbuseRecord record, long nowMillis, ScoringRules rules) {
        if (rules.halfLifeMillis() == 0 || record.history().isEmpty() || record.score() == 0) {
            return record;
        }
        long score = decayedScore(record.score(), record.history().get(record.history().size() - 1).atMillis(),
                nowMillis, rules);
        return new AbuseRecord(score, blockAfterDecay(record.blockedUntil(), score, rules), record.totalViolations(),
                record.history(), record.blocks());
    }

    /** A score as it stands at {@code now}, its last violation at {@code lastViolationAt} (see {@link #decayed}). */
    public static long decayedScore(long score, long lastViolationAt, long nowMillis, ScoringRules rules) {
        if (rules.halfLifeMillis() == 0 || score == 0) {
            return score;
        }
        long elapsed = Math.max(0, nowMillis - lastViolationAt);
        long halves = elapsed / rules.halfLifeMillis();
        long decayed = halves >= 63 ? 0 : score >> halves;
        return decayed - decayed * (elapsed % rules.halfLifeMillis()) / (2 * rules.halfLifeMillis());
    }

    /** An automatic block lifts once the decayed score is below the threshold; bans and timed blocks stay. */
    public static long blockAfterDecay(long blockedUntil, long decayedScore, ScoringRules rules) {
        return blockedUntil == AbuseRecord.UNTIL_LIFTED && decayedScore < rules.blockThreshold()
                ? AbuseRecord.NOT_BLOCKED : blockedUntil;
    }

    /**
     * When decay will lift an automatic block that a violation at {@code blockedAt} started with
     * {@code score}: the first millisecond the decayed score is below the threshold, or
     * {@link AbuseRecord#UNTIL_LIFTED} when scores do not decay. A blocked user commits no new violations,
     * so the moment is known at once; the cross-user index of blocks keeps it.
     */
    public static long decayLiftsBlockAt(long score, long blockedAt, ScoringRules rules) {
        if (rules.halfLifeMillis() == 0) {
            return AbuseRecord.UNTIL_LIFTED;
        }
        long low = 0; // decayedScore never rises with time: the first elapsed time below the threshold
        long high = 64 * rules.halfLifeMillis();
        while (low < high) {
            long mid = low + (high - low) / 2;
            if (decayedScore(score, blockedAt, blockedAt + mid, rules) < rules.blockThreshold()) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return blockedAt + low;
    }

    /**
     * When a block that a violation at {@code now} started with {@code score} ends: after {@code blockMillis}
     * (the store's word on this block's length, see {@link #blockDurationMillis}), or when it is 0, when decay
     * lifts it, or {@link AbuseRecord#UNTIL_LIFTED}.
     */
    public static long blockEnd(long score, long nowMillis, long blockMillis, ScoringRules rules) {
        return blockMillis > 0 ? nowMillis + blockMillis : decayLiftsBlockAt(score, nowMillis, rules);
    }

    /** A user's standing at {@code now} for the admin's views, with decay applied as a decision would. */
    public static UserStanding standing(String userId, long score, long blockedUntil, long violations,
                                        String lastAction, long lastViolationAt, long blocks, long nowMillis,
                                        ScoringRules rules) {
        long decayedScore = decayedScore(score, lastViolationAt, nowMillis, rules);
        long block = blockAfterDecay(blockedUntil, decayedScore, rules);
        boolean blocked = block < 0 || block > nowMillis;
        return new UserStanding(userId, decayedScore, blocked, blocked ? Math.max(-1, block) : 0, violations,
                lastAction, lastViolationAt, blocks);
    }
}
