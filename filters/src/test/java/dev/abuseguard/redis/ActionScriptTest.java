package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An action's constants compiled into its script reach the script as the values they were. */
class ActionScriptTest {

    private final RedisServer redis = RedisServer.shared();
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();

    private static final LuaScript ECHO = new LuaScript("return {type(big), big, type(awkward), awkward, "
            + "type(flag), tostring(flag), negative, ARGV[1], ARGV[2]}", "unused");

    @Test
    void settingsArriveByNameAsTheLuaValuesTheyWereAndTheCallsArgumentsStayItsOwn() {
        String awkward = "it's a \\ 'quote'\n\u00fc\u20ac ]] --";
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("big", (1L << 50) - 1);
        settings.put("awkward", awkward);
        settings.put("flag", true);
        settings.put("negative", -5);
        LuaScript compiled = ActionScript.compile(ECHO, settings);

        List<Object> reply = new RedisScripts(connections.standalone(redis))
                .<List<Object>>run(compiled, ScriptOutputType.MULTI, new String[0], "1764700000000", "refund")
                .block(Duration.ofSeconds(5));

        assertThat(reply).containsExactly("number", (1L << 50) - 1, "string", awkward, "boolean", "true", -5L,
                "1764700000000", "refund");
        assertThat(compiled.source()).as("named locals, the values in the names' order")
                .startsWith("local big, awkward, flag, negative = " + ((1L << 50) - 1) + ", 'it\\039s a ")
                .endsWith(ECHO.source());
        assertThat(compiled.source().lines().findFirst().orElseThrow()).as("one line, plain ASCII")
                .matches("[\\x20-\\x7e]+");
    }

    @Test
    void anotherSettingIsAnotherScript() {
        LuaScript one = ActionScript.compile(ECHO, Map.of("big", 1L));
        LuaScript other = ActionScript.compile(ECHO, Map.of("big", 2L));

        assertThat(one.sha1()).isNotEqualTo(other.sha1()).isNotEqualTo(ECHO.sha1());
    }

    @Test
    void aSettingsNameMustBeALuaName() {
        assertThatThrownBy(() -> ActionScript.compile(ECHO, Map.of("limit = 1, x", 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Lua name");
    }
}
