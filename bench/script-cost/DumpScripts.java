import dev.abuseguard.redis.LuaScript;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the token bucket's decision script, as the gateway sends it, to the file named by the argument. */
public final class DumpScripts {
    public static void main(String[] args) throws Exception {
        LuaScript script = LuaScript.load("/dev/abuseguard/redis/decide-head.lua",
                "/dev/abuseguard/strategy/TokenBucket.lua", "/dev/abuseguard/redis/decide-tail.lua");
        Files.writeString(Path.of(args[0]), script.source());
    }
}
