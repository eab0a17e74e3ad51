package dev.abuseguard.trends;

import reactor.core.publisher.Mono;

/** Where the counts of every instance are added up. */
interface TrendStore {

    /** Adds one flush's counts: one command for the shared store. */
    Mono<Void> add(TrendBatch batch);

    /**
     * @param fromMinute       the first epoch minute of the rows
     * @param toMinute         the last epoch minute (inclusive) of the rows and of the offenders' hour
     * @param offenderMinutes  how many minutes, ending at {@code toMinute}, the offenders are counted over
     */
    Mono<TrendReport> read(long fromMinute, long toMinute, int offenderMinutes, int topOffenders);
}
