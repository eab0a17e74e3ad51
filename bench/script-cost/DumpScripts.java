import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.redis.ActionScript;
import dev.abuseguard.strategy.StrategyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes the decision script of the bench's action (token bucket, limit 1,000,000 per 1,000,000 s, the default
 * scoring rules), as the gateway sends it, to the file named by the argument.
 */
public final class DumpScripts {
    private static final Action BENCH = new Action("bench",
            ActionPolicy.of(1_000_000, Duration.ofSeconds(1_000_000), StrategyType.TOKEN_BUCKET));

    public static void main(String[] args) throws Exception {
        Files.writeString(Path.of(args[0]), ActionScript.forAction(BENCH, ScoringRules.defaults(), "").source());
    }
}
