package dev.abuseguard.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offenders are kept as long as they are read for, whatever the counts' retention: invented ids cannot pile up. */
class InMemoryTrendStoreTest {

    private static TrendBatch minute(long minute, String offender) {
        return new TrendBatch(Map.of(minute, Map.of("a", new long[TrendColumn.count()])),
                Map.of(minute, Map.of(offender, 1L)));
    }

    @Test
    void offendersOlderThanTheReadSpanAreForgottenWhileCountsStay() {
        InMemoryTrendStore store = new InMemoryTrendStore(Trends.MAX_MINUTES + Trends.OFFENDER_MINUTES, 10);
        for (long minute = 0; minute < 3 * 60; minute++) {
            store.add(minute(minute, "invented-" + minute)).block();
        }
        long now = 3 * 60 - 1;
        assertThat(store.offenders(0, now, 1000).block()).hasSize(Trends.OFFENDER_MINUTES + 1);
        assertThat(store.rows(0, now).block()).hasSize(3 * 60);
    }
}
