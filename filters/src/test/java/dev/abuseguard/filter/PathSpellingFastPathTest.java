package dev.abuseguard.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.util.UriUtils;

/** The one-scan fast path never passes a path that the full checks would look at twice. */
class PathSpellingFastPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/packs/open", "/api/v10/channels/1/messages", "/a-b_c~d.e/f", "/", "/x.json"})
    void ordinaryPathsTakeTheFastPath(String path) {
        assertThat(PathSpellingFilter.isPlainAlready(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"//packs", "/packs/", "/Packs", "/packs/./open", "/packs/../x", "/packs/.", "/%2e",
            "/packs%2Fopen", "/a;b", "/a\\b", "/a b", "/\u00e9", "/\u212a", ".", "/a/.hidden"})
    void anythingTheChecksCouldRefuseTakesTheFullPath(String path) {
        assertThat(PathSpellingFilter.isPlainAlready(path)).isFalse();
    }

    @Test
    void theFastPathAgreesWithTheFullChecksOnRandomPaths() {
        char[] alphabet = "/./.%2eEA;\\aZz09-_~\u00e9 ".toCharArray();
        SplittableRandom random = new SplittableRandom(42);
        int fast = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder path = new StringBuilder("/");
            int length = random.nextInt(1, 12);
            for (int i = 0; i < length; i++) {
                path.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String raw = path.toString();
            if (PathSpellingFilter.isPlainAlready(raw)) {
                fast++;
                assertThat(PathSpellingFilter.NEVER_CANONICAL.matcher(raw).find()).as(raw).isFalse();
                assertThat(PathSpellingFilter.plainReading(UriUtils.decode(raw, StandardCharsets.UTF_8)))
                        .as(raw).isEqualTo(raw);
            }
        }
        assertThat(fast).as("paths that took the fast path").isGreaterThan(1000);
    }
}
