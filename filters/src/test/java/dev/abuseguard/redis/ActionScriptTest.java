package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An action's constants compiled into its script reach the script as the values they were. */
class ActionScriptTest {

    private final RedisServer redis = RedisServer.shared();
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();

    private static final LuaScript ECHO = new LuaScript("return {type(ARGV[1]), ARGV[1], type(ARGV[2]), ARGV[2], "
            + "ARGV[3], ARGV[4], ARGV[5], #ARGV}", "unused");

    @Test
    void numbersArriveAsLuaNumbersAndStringsByteForByteWithTheCallsOwnArgumentsInTheirPlaces() {
        String awkward = "it's a \\ 'quote'\n\u00fc\u20ac ]] --";
        LuaScript compiled = ActionScript.compile(ECHO, List.of((1L << 50) - 1, awkward, ActionScript.NOW,
                ActionScript.MODE, -5));

        List<Object> reply = new RedisScripts(connections.standalone(redis))
                .<List<Object>>run(compiled, ScriptOutputType.MULTI, new String[0], "1764700000000", "refund")
                .block(Duration.ofSeconds(5));

        assertThat(reply).containsExactly("number", (1L << 50) - 1, "string", awkward, "1764700000000", "refund", -5L, 5L);
        assertThat(compiled.source()).startsWith("local ARGV = {").endsWith(ECHO.source());
        assertThat(compiled.source().lines().findFirst().orElseThrow()).as("one line, plain ASCII")
                .matches("[\\x20-\\x7e]+");
    }

    @Test
    void anotherConstantIsAnotherScript() {
        LuaScript one = ActionScript.compile(ECHO, List.of(1L, "a", ActionScript.NOW, ActionScript.MODE, 0L));
        LuaScript other = ActionScript.compile(ECHO, List.of(2L, "a", ActionScript.NOW, ActionScript.MODE, 0L));

        assertThat(one.sha1()).isNotEqualTo(other.sha1()).isNotEqualTo(ECHO.sha1());
    }
}
