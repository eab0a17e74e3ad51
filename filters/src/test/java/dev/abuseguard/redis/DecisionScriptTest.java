package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.strategy.StrategyType;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionScriptTest {

    @Test
    void eachStrategyScriptsHeaderNamesTheIncludesItsTypeDeclares() {
        for (StrategyType type : StrategyType.values()) {
            List<String> named = LuaScript.includes(type.scriptResource()).stream()
                    .map(path -> path.substring(path.lastIndexOf('/') + 1)).toList();
            assertThat(named).as("includes of %s", type.scriptResource()).isEqualTo(type.scriptIncludes());
        }
    }

    @Test
    void aDecisionScriptLoadsEachFileOnceAndBeforeWhatUsesIt() {
        String source = DecisionScript.all().get(StrategyType.LEAKY_BUCKET).source();

        assertThat(source).containsOnlyOnce("local function read_abuse(")
                .containsOnlyOnce("local function meter_admit(");
        assertThat(source.indexOf("local function server_now_ms(")).isLessThan(source.indexOf("server_now_ms()\n"));
        assertThat(source.indexOf("local function ceil_div("))
                .isLessThan(source.indexOf("local function meter_admit("));
        assertThat(source.indexOf("local function meter_admit(")).isLessThan(source.indexOf("local function decide("));
        assertThat(source.indexOf("local function decide(")).isLessThan(source.indexOf("decide(stored[2])"));
    }

    @Test
    void everyScriptDeclaresWhatItIncludes() {
        for (String script : List.of(DecisionScript.HEAD, DecisionScript.TAIL, "/dev/abuseguard/redis/ban.lua",
                "/dev/abuseguard/redis/unban.lua", "/dev/abuseguard/redis/record-event.lua")) {
            assertThat(LuaScript.includes(script)).as(script).allSatisfy(path -> assertThat(
                    LuaScript.class.getResource(path)).as(path).isNotNull());
        }
    }
}
