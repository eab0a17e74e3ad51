package dev.abuseguard.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The length of a user's n-th automatic block: the pure arithmetic both stores share (Lua: decide-tail.lua). */
class GrowingBlocksTest {

    private static final ScoringRules TEN_MINUTES = ScoringRules.defaults().withBlockDuration(600_000);

    @Test
    void withoutAFactorEveryBlockLastsTheBlockDuration() {
        for (long n = 1; n <= 5; n++) {
            assertThat(AbuseScoring.blockDurationMillis(n, TEN_MINUTES)).isEqualTo(600_000);
        }
    }

    @Test
    void eachBlockLastsTheFactorTimesTheOneBeforeAtMostTheLongest() {
        ScoringRules doubling = TEN_MINUTES.withGrowingBlocks(200, 1_500_000);
        assertThat(AbuseScoring.blockDurationMillis(1, doubling)).isEqualTo(600_000);
        assertThat(AbuseScoring.blockDurationMillis(2, doubling)).isEqualTo(1_200_000);
        assertThat(AbuseScoring.blockDurationMillis(3, doubling)).isEqualTo(1_500_000);
        assertThat(AbuseScoring.blockDurationMillis(Long.MAX_VALUE, doubling)).isEqualTo(1_500_000);

        ScoringRules halfAgain = ScoringRules.defaults().withBlockDuration(1_001).withGrowingBlocks(150, 1_000_000);
        assertThat(AbuseScoring.blockDurationMillis(2, halfAgain)).isEqualTo(1_501); // 1501.5, rounded down
        assertThat(AbuseScoring.blockDurationMillis(3, halfAgain)).isEqualTo(2_251); // 2251.5
    }

    @Test
    void aLengthTheFactorCannotGrowStaysAndManyBlocksCostFewSteps() {
        ScoringRules tiny = ScoringRules.defaults().withBlockDuration(1).withGrowingBlocks(150, 1_000_000);
        assertThat(AbuseScoring.blockDurationMillis(Long.MAX_VALUE, tiny)).isEqualTo(1);
        ScoringRules slow = ScoringRules.defaults().withBlockDuration(100)
                .withGrowingBlocks(101, ScoringRules.MAX_BLOCK_MILLIS);
        assertThat(AbuseScoring.blockDurationMillis(Long.MAX_VALUE, slow)).isEqualTo(ScoringRules.MAX_BLOCK_MILLIS);
    }

    @Test
    void blocksUntilLiftedDoNotGrow() {
        ScoringRules untilLifted = ScoringRules.defaults().withGrowingBlocks(300, 3_600_000);
        assertThat(AbuseScoring.blockDurationMillis(4, untilLifted)).isZero();
    }

    @Test
    void theRecordCountsTheBlocksOfTheUser() {
        ScoringRules doubling = TEN_MINUTES.withGrowingBlocks(200, 3_600_000);
        AbuseRecord record = AbuseRecord.CLEAN;
        long now = 1_000_000;
        for (int i = 0; i < 5; i++) {
            record = AbuseScoring.recordViolation(record, now += 1_000, "payment", doubling);
        }
        assertThat(record.blocks()).isEqualTo(1);
        assertThat(record.blockedUntil()).isEqualTo(now + 600_000);
        now += 600_000;
        record = AbuseScoring.recordViolation(record, now, "api_call", doubling);
        assertThat(record.blocks()).isEqualTo(2);
        assertThat(record.blockedUntil()).isEqualTo(now + 1_200_000);
    }
}
