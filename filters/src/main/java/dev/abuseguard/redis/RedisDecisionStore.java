package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.SharedDecisionStore;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.Action;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import java.util.Collection;
import java.util.List;
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

    /** Compiled scripts past which the cache of them starts afresh: they come from configuration, not clients. */
    private static final int MAX_CACHED_SCRIPTS = 1024;

    private final RedisScripts redis;
    private final Supplier<ScoringRules> rules;
    private final LongSupplier pinnedNow;
    private final Map<Action, Compiled> compiledByAction = new ConcurrentHashMap<>();
    private final Function<String, String> tierLimits;
    private final Supplier<? extends Collection<Action>> actions;

    /** The decision script of one action (see {@link ActionScript}), under the scoring rules it was built for. */
    private record Compiled(ScoringRules rules, LuaScript script) {
    }

    /** The call's arguments per {@link Spend} (now, mode), for Redis' own time. */
    private static final String[][] CALL_ARGS = {{"", "consume"}, {"", "refund"}};

    /**
     * The store production runs: Redis {@code TIME} is the one clock.
     *
     * @param rules      the scoring rules in force (they may change on a configuration refresh)
     * @param tierLimits an action's limits per tier, as the script reads them (see {@code Tiers#scriptArgument})
     * @param actions    the configured actions, whose scripts {@link #warmUp()} loads
     */
    public static RedisDecisionStore atRedisTime(LettuceConnection connection, Supplier<ScoringRules> rules,
                                                 Function<String, String> tierLimits,
                                                 Supplier<? extends Collection<Action>> actions) {
        return new RedisDecisionStore(connection, rules, null, tierLimits, actions);
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
        this(connection, rules, pinnedNow, tierLimits, List::of);
    }

    /** @param actions the configured actions, whose scripts {@link #warmUp()} loads */
    public RedisDecisionStore(LettuceConnection connection, Supplier<ScoringRules> rules, LongSupplier pinnedNow,
                              Function<String, String> tierLimits, Supplier<? extends Collection<Action>> actions) {
        this.actions = actions;
        this.tierLimits = tierLimits;
        this.redis = new RedisScripts(connection);
        this.rules = rules;
        this.pinnedNow = pinnedNow;
    }

    /** Started at once, completed on the event loop that reads Redis' reply. */
    @Override
    public CompletableFuture<Decision> decideAsync(String userId, Action action, Spend spend) {
        String[] args = CALL_ARGS[spend.ordinal()];
        if (pinnedNow != null) {
            args = new String[] {Long.toString(pinnedNow.getAsLong()), args[1]};
        }
        return redis.<List<Object>>runAsync(compiled(action), ScriptOutputType.MULTI,
                        UserKeys.forDecision(userId, action), args)
                .thenApply(reply -> DecisionReply.read(reply).decision());
    }

    private LuaScript compiled(Action action) {
        ScoringRules inForce = rules.get();
        Compiled compiled = compiledByAction.get(action);
        if (compiled == null || compiled.rules() != inForce) {
            compiled = new Compiled(inForce, ActionScript.forAction(action, inForce, tierLimits.apply(action.name())));
            if (compiledByAction.size() >= MAX_CACHED_SCRIPTS) {
                compiledByAction.clear(); // the actions of earlier configurations
            }
            compiledByAction.put(action, compiled);
        }
        return compiled.script();
    }

    /**
     * Loads the configured actions' decision scripts (on every node of a cluster; an action configured later
     * has its script cached by its first call's {@code EVAL}) and opens the connections, each event loop's
     * and the general one, ahead of the first request, which would otherwise pay for both and might run past
     * the time limit into a fallback.
     */
    @Override
    public Mono<Void> warmUp() {
        return redis.commands().flatMap(r -> Flux.fromIterable(actions.get())
                .concatMap(action -> r.scriptLoad(compiled(action).source())).then())
                .then(redis.openAll());
    }

    @Override
    public boolean isTimeout(Throwable failure) {
        Throwable error = RedisScripts.unwrap(failure);
        return error instanceof RedisCommandTimeoutException || error instanceof TimeoutException;
    }
}
