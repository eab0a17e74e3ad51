package dev.abuseguard.decision;

import dev.abuseguard.abuse.AbuseScoring;
import dev.abuseguard.decision.KnownBlocks.Block;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import java.time.Clock;
import reactor.core.publisher.Mono;

/**
 * Answers blocked users from this instance's {@link KnownBlocks}, in front of the store that decides: at no
 * cost to Redis while it is up, and for as long as a block lasts while Redis is away (the local fallback
 * knows nothing of blocks decided in Redis). What the deciding store reports feeds the copy; a block the
 * local store decides during an outage is kept for Redis.
 */
final class BlockCachingDecisionStore implements DecisionStore {

    private final DecisionStore delegate;
    private final KnownBlocks known;
    private final LivePolicies policies;
    private final Clock clock;

    BlockCachingDecisionStore(DecisionStore delegate, KnownBlocks known, LivePolicies policies, Clock clock) {
        this.delegate = delegate;
        this.known = known;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        if (spend == Spend.REFUND) {
            return delegate.decide(userId, action, spend);
        }
        Block block = known.find(userId);
        if (block != null) {
            long retryAfter = block.until() < 0 ? -1 : Math.max(0, block.until() - clock.millis());
            return Mono.just(Decision.blocked(action.quota().limit(), retryAfter, block.score()));
        }
        long generation = known.generation();
        return delegate.decide(userId, action, spend).doOnNext(decision -> remember(userId, decision, generation));
    }

    private void remember(String userId, Decision decision, long generation) {
        if (decision.outcome() != Outcome.BLOCKED && !decision.newlyBlocked()) {
            return;
        }
        long now = clock.millis();
        if (decision.outcome() == Outcome.BLOCKED) {
            long until = decision.retryAfterMillis() < 0 ? -1 : now + decision.retryAfterMillis();
            known.remember(userId, new Block(until, decision.abuseScore()), generation);
        } else if (decision.newlyBlocked()) {
            Block block = new Block(AbuseScoring.blockEnd(decision.abuseScore(), now, decision.blockMillis(),
                    policies.rules()),
                    decision.abuseScore());
            if (delegate.status().storeDeciding()) {
                known.remember(userId, block, generation);
            } else {
                known.decidedLocally(userId, block);
            }
        }
    }

    @Override
    public StoreStatus status() {
        return delegate.status();
    }
}
