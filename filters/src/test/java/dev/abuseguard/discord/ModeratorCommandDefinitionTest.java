package dev.abuseguard.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.DiscordProperties;
import dev.abuseguard.testsupport.ModeratorInteractions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command the gateway serves for registration is one Discord accepts (its documented limits on names,
 * descriptions, option order and types) and exactly what the handler reads back: every subcommand with every
 * option the definition gives it parses, and nothing else is defined.
 */
class ModeratorCommandDefinitionTest {

    private static final JsonMapper JSON = new JsonMapper();
    /** Discord's rule for command and option names, lower case. */
    private static final Pattern NAME = Pattern.compile("^[-_\\p{Ll}\\p{N}]{1,32}$");
    private static final String GUILD = "613425648685547541";
    private static final String TARGET = "200000000000000077";

    private static DiscordProperties.Moderators moderators(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("abuse-guard", AbuseGuardProperties.class).discord().moderators();
    }

    private static JsonNode definition(DiscordProperties.Moderators moderators) {
        return JSON.readTree(JSON.writeValueAsString(ModeratorCommandDefinition.of(moderators)));
    }

    @Test
    void theDefaultCommandIsWellFormed() {
        JsonNode command = definition(moderators(Map.of()));

        assertThat(command.path("name").stringValue()).isEqualTo("abuse").matches(NAME);
        assertThat(command.path("type").intValue()).isEqualTo(1);
        assertThat(command.path("description").stringValue()).hasSizeBetween(1, 100);
        // Moderate Members: Discord asks for every bit given, and shows Administrators every command anyway
        assertThat(command.path("default_member_permissions").isString()).isTrue();
        assertThat(command.path("default_member_permissions").stringValue()).isEqualTo(Long.toString(1L << 40));
        assertThat(command.path("dm_permission").booleanValue()).isFalse();
        assertThat(command.path("contexts").toString()).isEqualTo("[0]");
        assertThat(command.path("options").size()).isBetween(1, 25);
        List<String> names = new ArrayList<>();
        for (JsonNode subcommand : command.path("options")) {
            assertThat(subcommand.path("type").intValue()).isEqualTo(1);
            assertThat(subcommand.path("name").stringValue()).matches(NAME);
            assertThat(subcommand.path("description").stringValue()).hasSizeBetween(1, 100);
            boolean optionalSeen = false;
            for (JsonNode option : subcommand.path("options")) {
                assertThat(option.path("name").stringValue()).matches(NAME);
                assertThat(option.path("description").stringValue()).hasSizeBetween(1, 100);
                assertThat(option.path("type").intValue()).isIn(3, 6);
                boolean required = option.path("required").booleanValue();
                assertThat(required && optionalSeen).as("required options come first").isFalse();
                optionalSeen |= !required;
                if (option.path("type").intValue() == 3) {
                    assertThat(option.path("max_length").intValue()).isBetween(1, 6000);
                }
            }
            names.add(subcommand.path("name").stringValue());
        }
        assertThat(names).containsExactly("status", "history", "reset", "ban", "unban", "exempt", "limits");
        assertThat(JSON.writeValueAsString(ModeratorCommandDefinition.of(moderators(Map.of()))).length())
                .as("Discord's limit on a command's name, descriptions and values together").isLessThan(8000);
    }

    @Test
    void everySubcommandWithEveryOptionItDefinesIsWhatTheHandlerReads() {
        JsonNode command = definition(moderators(Map.of()));
        ModeratorInteractions moderator = ModeratorInteractions.member("300000000000000001", GUILD,
                ModeratorInteractions.MODERATE_MEMBERS);
        for (JsonNode subcommand : command.path("options")) {
            List<String> options = new ArrayList<>();
            for (JsonNode option : subcommand.path("options")) {
                String name = option.path("name").stringValue();
                options.add(name);
                options.add(option.path("type").intValue() == 6 ? TARGET
                        : "x".repeat(Math.min(option.path("max_length").intValue(), 2)));
            }
            byte[] body = moderator.command("abuse", subcommand.path("name").stringValue(), "Zoë",
                    options.toArray(String[]::new));

            ModeratorRequests.Ask ask = ModeratorRequests.ask(JSON.readTree(body),
                    new InteractionParser(JSON).parse(body));

            assertThat(ask.subcommand().wireName()).isEqualTo(subcommand.path("name").stringValue());
            assertThat(ask.targetId()).isEqualTo(options.contains("user") ? TARGET : null);
            assertThat(ask.duration()).isEqualTo(options.contains("duration") ? "xx" : null);
            assertThat(ask.reason()).isEqualTo(options.contains("reason") ? "xx" : null);
        }
    }

    @Test
    void theConfiguredNameAndBitsAreRegistered() {
        JsonNode command = definition(moderators(Map.of("abuse-guard.discord.moderators.command", "mod-tools",
                "abuse-guard.discord.moderators.permissions", "8")));

        assertThat(command.path("name").stringValue()).isEqualTo("mod-tools");
        assertThat(command.path("default_member_permissions").stringValue()).isEqualTo("8");
    }
}
