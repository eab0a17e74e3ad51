package dev.abuseguard.discord;

import dev.abuseguard.policy.DiscordProperties;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may use the moderators' command: a member of a guild whose permissions in the channel include one of the
 * configured bits, or who holds one of the configured roles. Read from the signed interaction alone (Discord
 * computes {@code member.permissions} with the channel's overwrites); in a DM there is no member, so nobody.
 */
final class ModeratorPermission {

    /** Discord writes permissions as a decimal string; today 50 bits, so 30 digits is more than any real value. */
    private static final Pattern BITS = Pattern.compile("[0-9]{1,30}");

    private final BigInteger bits;
    private final Set<String> roles;

    ModeratorPermission(BigInteger bits, Set<String> roles) {
        this.bits = bits;
        this.roles = Set.copyOf(roles);
    }

    static ModeratorPermission of(DiscordProperties.Moderators moderators) {
        return new ModeratorPermission(new BigInteger(moderators.permissions()), Set.copyOf(moderators.roles()));
    }

    /**
     * @param guildId     null in a DM
     * @param permissions {@code member.permissions}, null when there is no member
     * @param memberRoles {@code member.roles}
     */
    boolean allows(String guildId, String permissions, List<String> memberRoles) {
        if (guildId == null || permissions == null) {
            return false;
        }
        if (BITS.matcher(permissions).matches() && new BigInteger(permissions).and(bits).signum() != 0) {
            return true;
        }
        return memberRoles.stream().anyMatch(roles::contains);
    }
}
