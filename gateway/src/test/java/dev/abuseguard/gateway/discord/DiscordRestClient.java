package dev.abuseguard.gateway.discord;

import dev.abuseguard.testsupport.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Discord's own REST client, {@code @discordjs/rest} (the version pinned in src/test/node/package-lock.json),
 * installed with {@code npm ci} into target/discord-client (never into the source tree) and run under Node.js.
 */
final class DiscordRestClient {

    private static final Path SOURCE = Path.of("src", "test", "node");
    private static final Path HOME = Path.of("target", "discord-client");
    private static final String HOW_TO_INSTALL = "Install Node.js 18 or later with npm (Debian/Ubuntu: "
            + "'apt-get install nodejs npm'); ./test.sh installs them by itself.";

    private DiscordRestClient() {
    }

    /** Installs the client unless the installed one was installed from the same lock file. */
    static synchronized void install() throws IOException, InterruptedException {
        String npm = RedisServer.findBinaryOr("npm", HOW_TO_INSTALL);
        Files.createDirectories(HOME);
        for (String file : List.of("package.json", "send-messages.mjs")) {
            Files.copy(SOURCE.resolve(file), HOME.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
        Path installedFrom = HOME.resolve("installed-from.lock.json");
        if (Files.exists(HOME.resolve("node_modules/@discordjs/rest/package.json")) && Files.exists(installedFrom)
                && Arrays.equals(lock, Files.readAllBytes(installedFrom))) {
            return;
        }
        Files.write(HOME.resolve("package-lock.json"), lock);
        run(List.of(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"), 180);
        Files.write(installedFrom, lock);
    }

    /** Sends {@code count} messages one after the other as {@code userId}; the client's report as JSON. */
    static String sendMessages(String api, String userId, int count, int timeoutSeconds)
            throws IOException, InterruptedException {
        String node = RedisServer.findBinaryOr("node", HOW_TO_INSTALL);
        return run(List.of(node, "send-messages.mjs", api, userId, Integer.toString(count)), timeoutSeconds);
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("discord-client", ".out");
        Process process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeoutSeconds
                        + " s: " + read(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ": " + read(output));
            }
            return read(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String read(Path output) {
        try {
            return Files.readString(output, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
