package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.abuse.UserStanding;
import org.junit.jupiter.api.Test;

/** The abuse record as the admin's views read it, with and without the count of blocks. */
class AbuseRecordFormatTest {

    @Test
    void aRecordFromBeforeGrowingBansHasNoBlocksAndOneWithThemNamesItsLastActionAlone() {
        UserStanding old = AbuseRecordFormat.parse("u", "100:-1:5:1000:pack_create", 2_000, ScoringRules.defaults());
        assertThat(old.lastAction()).isEqualTo("pack_create");
        assertThat(old.blocks()).isZero();
        assertThat(old.blocked()).isTrue();

        UserStanding grown = AbuseRecordFormat.parse("u", "135:9000:6:1000:payment:2", 2_000, ScoringRules.defaults());
        assertThat(grown.lastAction()).isEqualTo("payment");
        assertThat(grown.blocks()).isEqualTo(2);
        assertThat(grown.blockedUntil()).isEqualTo(9_000);

        UserStanding banned = AbuseRecordFormat.parse("u", "0:-2:0:0::1", 2_000, ScoringRules.defaults());
        assertThat(banned.lastAction()).isEmpty();
        assertThat(banned.blocks()).isEqualTo(1);
    }
}
