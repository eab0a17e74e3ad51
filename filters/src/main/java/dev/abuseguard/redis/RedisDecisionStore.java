package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.decision.Scope;
import dev.abuseguard.decision.SharedDecisionStore;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.Action;
import dev.abuseguard.strategy.StrategyType;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Decides in Redis, shared by every gateway instance: one {@code EVALSHA} per request, which checks the
 * block, applies the strategy and, on a violation, scores it. Time comes from Redis {@code TIME}, so
 * instances with skewed clocks agree; a test may pin it instead. The same call reads the operator's
 * overrides of the user (exempt, own limit, tier), so an overridden user costs no extra round trip.
 */
public final class RedisDecisionStore implements SharedDecisionStore {

    private static final int NOW = 3;

    private final RedisScripts redis;
    private final Map<StrategyType, LuaScript> scripts = DecisionScript.all();
    private final Supplier<ScoringRules> rules;
    private final LongSupplier pinnedNow;
    private final Map<Action, ScriptArgs> argsByAction = new ConcurrentHashMap<>();
    private final Function<String, String> tierLimits;

    /** The script's arguments for one action, for each {@link Spend}, under the scoring rules they were built for. */
    private record ScriptArgs(ScoringRules rules, String[][] bySpend) {
    }

    /** @param rules the scoring rules in force (they may change on a configuration refresh) */
    public RedisDecisionStore(LettuceConnection connection, Supplier<ScoringRules> rules) {
        this(connection, rules, null);
    }

    /** @param pinnedNow the time to decide at, for tests; {@code null} takes Redis server time */
    public RedisDecisionStore(LettuceConnection connection, Supplier<ScoringRules> rules, LongSupplier pinnedNow) {
        this(connection, rules, pinnedNow, action -> "");
    }

    /**
     * @param tierLimits an action's limits per tier, as the script reads them (see {@code Tiers#scriptArgument})
     */
    public RedisDecisionStore(LettuceConnection connection, Supplier<ScoringRules> rules, LongSupplier pinnedNow,
                              Function<String, String> tierLimits) {
        this.tierLimits = tierLimits;
        this.redis = new RedisScripts(connection);
        this.rules = rules;
        this.pinnedNow = pinnedNow;
    }

    /** Started at once, completed on the event loop that reads Redis' reply. */
    @Override
    public CompletableFuture<Decision> decideAsync(String userId, Action action, Spend spend) {
        ScoringRules inForce = rules.get();
        ScriptArgs prepared = argsByAction.get(action);
        if (prepared == null || prepared.rules() != inForce) {
            prepared = new ScriptArgs(inForce, scriptArgs(action, inForce, tierLimits.apply(action.name())));
            argsByAction.put(action, prepared);
        }
        String[] args = prepared.bySpend()[spend.ordinal()];
        if (pinnedNow != null) {
            args = args.clone();
            args[NOW] = Long.toString(pinnedNow.getAsLong());
        }
        return redis.<List<Object>>runAsync(scripts.get(action.policy().strategy()), ScriptOutputType.MULTI,
                        UserKeys.forDecision(userId, action), args)
                .thenApply(reply -> toDecision(reply, action));
    }

    /**
     * Loads the decision scripts (on every node of a cluster) and opens the connections, each event loop's
     * and the general one, ahead of the first request, which would otherwise pay for both and might run past
     * the time limit into a fallback.
     */
    @Override
    public Mono<Void> warmUp() {
        return redis.commands().flatMap(r -> Flux.fromIterable(scripts.values())
                .concatMap(script -> r.scriptLoad(script.source())).then())
                .then(redis.openAll());
    }

    /** The script's arguments for each {@link Spend}, built once per action. */
    private static String[][] scriptArgs(Action action, ScoringRules rules, String tiers) {
        String[][] bySpend = new String[Spend.values().length][];
        for (Spend spend : Spend.values()) {
            bySpend[spend.ordinal()] = scriptArgs(action, rules, spend, tiers);
        }
        return bySpend;
    }

    private static String[] scriptArgs(Action action, ScoringRules rules, Spend spend, String tiers) {
        return new String[] {
                Long.toString(action.quota().limit()),
                Long.toString(action.quota().windowMillis()),
                Long.toString(action.quota().maxDelayMillis()),
                "",
                Long.toString(rules.points()),
                Long.toString(rules.repeatMultiplierPercent()),
                Long.toString(rules.repeatWindowMillis()),
                Long.toString(rules.blockThreshold()),
                Long.toString(rules.blockDurationMillis()),
                Long.toString(rules.retentionMillis()),
                Integer.toString(rules.historySize()),
                action.name(),
                spend.name().toLowerCase(Locale.ROOT),
                Long.toString(rules.halfLifeMillis()),
                Long.toString(rules.blockRetentionMillis()),
                tiers,
                action.policy().shadow() ? "1" : "0",
                Long.toString(rules.blockFactorPercent()),
                Long.toString(rules.maxBlockMillis())};
    }

    @Override
    public boolean isTimeout(Throwable failure) {
        Throwable error = RedisScripts.unwrap(failure);
        return error instanceof RedisCommandTimeoutException || error instanceof TimeoutException;
    }

    private static Decision toDecision(List<Object> reply, Action action) {
        Outcome outcome = switch ((int) number(reply, 0)) {
            case 0 -> Outcome.ALLOWED;
            case 1 -> Outcome.RATE_LIMITED;
            case 2 -> Outcome.BLOCKED;
            case 3 -> Outcome.EXEMPT;
            default -> throw new IllegalStateException("unexpected script reply " + reply);
        };
        return new Decision(outcome, number(reply, 7), number(reply, 1), number(reply, 2), number(reply, 3),
                number(reply, 4), number(reply, 5), number(reply, 6) == 1, Scope.USER,
                reply.size() > 8 ? number(reply, 8) : 0, null);
    }

    private static long number(List<Object> reply, int index) {
        return (Long) reply.get(index);
    }
}
