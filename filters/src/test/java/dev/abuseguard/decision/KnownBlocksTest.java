package dev.abuseguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.decision.KnownBlocks.Block;
import dev.abuseguard.testsupport.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The copy of blocks keeps, of two blocks of one user, the one that ends later, whatever order they arrive in. */
class KnownBlocksTest {

    private final ManualClock clock = new ManualClock(1_000_000);
    private final KnownBlocks known = new KnownBlocks(clock, 100);

    @Test
    void aBanReplacingATimedBlockOutlivesTheTimedBlocksEnd() {
        known.block("mallory", new Block(clock.millis() + 60_000, 100));
        known.block("mallory", new Block(-2, 100));
        clock.advance(Duration.ofMinutes(5));
        assertThat(known.find("mallory")).isEqualTo(new Block(-2, 100));
    }

    @Test
    void aShorterBlockHeardLaterDoesNotShortenALongerOne() {
        known.block("mallory", new Block(-2, 100));
        known.remember("mallory", new Block(clock.millis() + 60_000, 100), known.generation());
        known.decidedLocally("mallory", new Block(clock.millis() + 1_000, 100));
        clock.advance(Duration.ofMinutes(5));
        assertThat(known.find("mallory")).isEqualTo(new Block(-2, 100));

        known.block("eve", new Block(clock.millis() + 600_000, 100));
        known.block("eve", new Block(clock.millis() + 60_000, 100));
        clock.advance(Duration.ofMinutes(5));
        assertThat(known.find("eve")).isNotNull();
    }

    @Test
    void aClearStillLiftsWhateverWasKnown() {
        known.block("mallory", new Block(-2, 100));
        known.clear("mallory");
        assertThat(known.find("mallory")).isNull();
    }
}
