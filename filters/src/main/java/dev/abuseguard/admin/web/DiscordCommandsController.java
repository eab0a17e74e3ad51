package dev.abuseguard.admin.web;

import dev.abuseguard.admin.AdminTargetNotFound;
import dev.abuseguard.discord.ModeratorCommandDefinition;
import dev.abuseguard.policy.DiscordProperties;
import dev.abuseguard.policy.LivePolicies;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/api/discord/commands}: the moderators' command as Discord registers it, the body of
 * {@code POST https://discord.com/api/v10/applications/<app id>/commands} (which creates the command, or updates
 * the one of that name, leaving the bot's own commands alone). Built from the configuration in force.
 */
@RestController
@RequestMapping("/admin/api/discord")
class DiscordCommandsController {

    private final LivePolicies policies;

    DiscordCommandsController(LivePolicies policies) {
        this.policies = policies;
    }

    @GetMapping("/commands")
    Map<String, Object> commands() {
        DiscordProperties.Moderators moderators = policies.current().settings().discord().moderators();
        if (!moderators.enabled()) {
            throw new AdminTargetNotFound("The moderators' command is off (abuse-guard.discord.moderators.enabled).");
        }
        return ModeratorCommandDefinition.of(moderators);
    }
}
