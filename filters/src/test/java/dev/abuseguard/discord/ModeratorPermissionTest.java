package dev.abuseguard.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModeratorPermissionTest {

    private static final String GUILD = "613425648685547541";
    private static final BigInteger ADMINISTRATOR = BigInteger.ONE.shiftLeft(3);
    private static final BigInteger MODERATE_MEMBERS = BigInteger.ONE.shiftLeft(40);
    private static final ModeratorPermission DEFAULTS =
            new ModeratorPermission(ADMINISTRATOR.or(MODERATE_MEMBERS), Set.of("900000000000000001"));

    @Test
    void aMemberWithAnyOfTheBitsMay() {
        assertThat(DEFAULTS.allows(GUILD, MODERATE_MEMBERS.toString(), List.of())).isTrue();
        assertThat(DEFAULTS.allows(GUILD, ADMINISTRATOR.toString(), List.of())).isTrue();
        // Send Messages, View Channel, Moderate Members and more, as Discord sends a moderator's permissions
        assertThat(DEFAULTS.allows(GUILD, "1100585367617", List.of())).isTrue();
    }

    @Test
    void aMemberWithoutThemMayNot() {
        assertThat(DEFAULTS.allows(GUILD, "2250700302057463", List.of())).isFalse(); // bits 0 to 50 but 3 and 40
        assertThat(DEFAULTS.allows(GUILD, "0", List.of())).isFalse();
    }

    @Test
    void aConfiguredRoleLetsAMemberWithoutTheBits() {
        assertThat(DEFAULTS.allows(GUILD, "0", List.of("1", "900000000000000001"))).isTrue();
        assertThat(DEFAULTS.allows(GUILD, "0", List.of("900000000000000002"))).isFalse();
    }

    @Test
    void nobodyInADmOrWithoutPermissionsInThePayload() {
        assertThat(DEFAULTS.allows(null, ADMINISTRATOR.toString(), List.of())).isFalse();
        assertThat(DEFAULTS.allows(GUILD, null, List.of("900000000000000001"))).isFalse();
    }

    @Test
    void oddPermissionStringsAreNoPermission() {
        assertThat(DEFAULTS.allows(GUILD, "-8", List.of())).isFalse();
        assertThat(DEFAULTS.allows(GUILD, "8.0", List.of())).isFalse();
        assertThat(DEFAULTS.allows(GUILD, "9".repeat(31), List.of())).isFalse();
        assertThat(DEFAULTS.allows(GUILD, "", List.of())).isFalse();
    }
}
