package dev.abuseguard.redis;

import dev.abuseguard.decision.Decision;
import java.util.List;

/**
 * The decision script's reply, read by name: decide-head.lua's {@code reply(...)} writes these fields, in the
 * order of {@link Field}, for every outcome.
 */
record DecisionReply(long outcome, long remaining, long resetAfterMillis, long retryAfterMillis, long delayMillis,
                     long score, boolean newlyBlocked, long limit, long blockMillis) {

    /** The reply's fields in the order the script writes them. */
    private enum Field { OUTCOME, REMAINING, RESET_AFTER, RETRY_AFTER, DELAY, SCORE, NEWLY_BLOCKED, LIMIT, BLOCK_MS }

    /** The script's outcome codes: {@code local ALLOWED, RATE_LIMITED, BLOCKED, EXEMPT = 0, 1, 2, 3}. */
    private static final long ALLOWED = 0;
    private static final long RATE_LIMITED = 1;
    private static final long BLOCKED = 2;
    private static final long EXEMPT = 3;

    static DecisionReply read(List<Object> reply) {
        if (reply.size() != Field.values().length) {
            throw new IllegalStateException("unexpected script reply " + reply);
        }
        return new DecisionReply(field(reply, Field.OUTCOME), field(reply, Field.REMAINING),
                field(reply, Field.RESET_AFTER), field(reply, Field.RETRY_AFTER), field(reply, Field.DELAY),
                field(reply, Field.SCORE), field(reply, Field.NEWLY_BLOCKED) == 1, field(reply, Field.LIMIT),
                field(reply, Field.BLOCK_MS));
    }

    Decision decision() {
        if (outcome == ALLOWED) {
            return Decision.admitted(limit, remaining, resetAfterMillis, delayMillis, score);
        } else if (outcome == RATE_LIMITED) {
            return newlyBlocked
                    ? Decision.rateLimitedAndBlocked(limit, resetAfterMillis, retryAfterMillis, score, blockMillis)
                    : Decision.rateLimited(limit, resetAfterMillis, retryAfterMillis, score);
        } else if (outcome == BLOCKED) {
            return Decision.blocked(limit, retryAfterMillis, score);
        } else if (outcome == EXEMPT) {
            return Decision.exempt(limit);
        }
        throw new IllegalStateException("unexpected outcome " + outcome + " in the script's reply");
    }

    private static long field(List<Object> reply, Field field) {
        return (Long) reply.get(field.ordinal());
    }
}
