package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.decision.KnownBlocks.Block;
import dev.abuseguard.decision.SharedBlocks.News;
import org.junit.jupiter.api.Test;

/** The block news format carries any valid user id, and reads what the version before published. */
class BlockNewsTest {

    @Test
    void aClearNamesExactlyItsUserWhateverTheIdLooksLike() {
        for (String id : new String[] {"+15551234567", "*", "+1 2 3", "c", "b", "alice", "42"}) {
            if (id.contains(" ")) {
                continue; // ids never hold white space
            }
            assertThat(RedisSharedBlocks.news(BlockInvalidations.CLEAR + id)).isEqualTo(new News(id, null));
        }
    }

    @Test
    void aBlockCarriesItsEndScoreAndUser() {
        assertThat(RedisSharedBlocks.news("b 1796000000000 100 +15551234567"))
                .isEqualTo(new News("+15551234567", new Block(1796000000000L, 100)));
        assertThat(RedisSharedBlocks.news("b -1 100 *")).isEqualTo(new News("*", new Block(-1, 100)));
    }

    @Test
    void everyoneIsClearedOnlyByTheBareStar() {
        assertThat(RedisSharedBlocks.news("*")).isEqualTo(new News(News.EVERYONE, null));
        assertThat(RedisSharedBlocks.news("c *").userId()).isEqualTo("*");
    }

    @Test
    void theFormerFormatIsStillRead() {
        assertThat(RedisSharedBlocks.news("+1796000000000 100 mallory"))
                .isEqualTo(new News("mallory", new Block(1796000000000L, 100)));
        assertThat(RedisSharedBlocks.news("mallory")).isEqualTo(new News("mallory", null));
    }

    @Test
    void aMessageInNeitherFormatIsRefused() {
        for (String garbage : new String[] {"", "b x y z", "b 1 2", "c ", "two words", "b 1"}) {
            assertThatThrownBy(() -> RedisSharedBlocks.news(garbage)).as(garbage)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
