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
 * scoring rules), as the gateway sends it, to the file named by the first argument; with a second, a variant
 * there that decides every user whose 4 keys it is given in one call, at one Redis TIME: what deciding
 * several users per call would save (the gateway does not do it).
 */
public final class DumpScripts {
    private static final Action BENCH = new Action("bench",
            ActionPolicy.of(1_000_000, Duration.ofSeconds(1_000_000), StrategyType.TOKEN_BUCKET));

    public static void main(String[] args) throws Exception {
        String script = ActionScript.forAction(BENCH, ScoringRules.defaults(), "").source();
        Files.writeString(Path.of(args[0]), script);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), batch(script));
        }
    }

    /** The script as a function of one user's keys and (time, mode), called for each user given. */
    private static String batch(String script) {
        String first = script.substring(0, script.indexOf('\n'));
        String rest = script.substring(script.indexOf('\n') + 1);
        return """
                local function batch_now()
                  local t = redis.call('TIME')
                  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
                end
                local function decide_one(KEYS, CALL)
                """ + first + "\n" + rest.replace("ARGV[1]", "CALL[1]").replace("ARGV[2]", "CALL[2]") + """
                end
                local now = ARGV[1]
                if now == '' then now = batch_now() end
                local out = {}
                for i = 1, #KEYS / 4 do
                  out[i] = decide_one({KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]}, {now, ARGV[2]})
                end
                return out
                """;
    }
}
