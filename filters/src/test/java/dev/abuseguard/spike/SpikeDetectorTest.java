package dev.abuseguard.spike;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.spike.SpikeDetector.Change;
import dev.abuseguard.testsupport.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spike arithmetic on a manual clock: 1 s intervals, a 10 s baseline, factor 5, min-rate 2/s. */
class SpikeDetectorTest {

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private SpikeDetector detector;

    @BeforeEach
    void start() {
        detector = new SpikeDetector(10_000, 5_000, 2_000);
        detector.observe(0, clock.millis());
    }

    private SpikeDetector.Verdict second(long count) {
        clock.advance(Duration.ofSeconds(1));
        return detector.observe(count, clock.millis());
    }

    private void steady(int seconds, long perSecond) {
        for (int i = 0; i < seconds; i++) {
            assertThat(second(perSecond).change()).isEqualTo(Change.NONE);
        }
    }

    @Test
    void nothingIsReportedBeforeAWholeBaselineHasBeenSeen() {
        steady(9, 10);
        assertThat(second(1_000).change()).isEqualTo(Change.NONE);
    }

    @Test
    void aRateAboveFactorTimesTheAverageStartsASpikeOnceWithBothRates() {
        steady(10, 10);

        SpikeDetector.Verdict spike = second(60);

        assertThat(spike.change()).isEqualTo(Change.STARTED);
        assertThat(spike.rateMilli()).isEqualTo(60_000);
        assertThat(spike.baselineMilli()).isEqualTo(10_000);
        assertThat(SpikeDetector.format(spike.rateMilli())).isEqualTo("60.00/s");
    }

    @Test
    void exactlyFactorTimesTheAverageIsNoSpike() {
        steady(10, 10);
        assertThat(second(50).change()).isEqualTo(Change.NONE);
    }

    @Test
    void aLastingSpikeIsReportedOnceAndANewOneAfterTheRateFellBackAgain() {
        steady(10, 10);
        assertThat(second(100).change()).isEqualTo(Change.STARTED);
        assertThat(detector.spiking()).isTrue();
        // the spike does not raise its own bar; after a whole baseline at 100/s that is the new normal: re-armed
        // without a second report
        int started = 0;
        for (int i = 0; i < 20; i++) {
            if (second(100).change() == Change.STARTED) {
                started++;
            }
        }
        assertThat(started).isZero();
        assertThat(detector.spiking()).isFalse();

        steady(10, 10); // back to normal for a whole baseline
        assertThat(second(100).change()).as("a new episode").isEqualTo(Change.STARTED);
        assertThat(second(10).change()).as("fallen back: re-armed").isEqualTo(Change.ENDED);
        assertThat(second(100).change()).isEqualTo(Change.STARTED);
    }

    @Test
    void aQuietActionSpikesOnlyAtTheMinimumRate() {
        steady(10, 0);
        assertThat(second(1).change()).as("1/s: below min-rate 2/s").isEqualTo(Change.NONE);
        assertThat(second(2).change()).as("2/s on an average of 0.1/s").isEqualTo(Change.STARTED);
    }

    @Test
    void aLongerStretchIsReadAsItsAverageRate() {
        steady(10, 10);
        clock.advance(Duration.ofSeconds(4));

        SpikeDetector.Verdict verdict = detector.observe(200, clock.millis()); // 50/s over 4 s: exactly 5x

        assertThat(verdict.rateMilli()).isEqualTo(50_000);
        assertThat(verdict.change()).isEqualTo(Change.NONE);
    }
}
