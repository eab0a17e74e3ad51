package dev.abuseguard.trends;

import java.util.List;
import reactor.core.publisher.Mono;

/** Where the counts of every instance are added up. Minutes are epoch minutes, both ends inclusive. */
interface TrendStore {

    /** Adds one flush's counts: one command for the shared store. */
    Mono<Void> add(TrendBatch batch);

    /** The rows of the minutes {@code fromMinute..toMinute}, oldest first, actions by name within a minute. */
    Mono<List<TrendRow>> rows(long fromMinute, long toMinute);

    /** The {@code limit} users with the most violations over {@code fromMinute..toMinute}, most first. */
    Mono<List<Offender>> offenders(long fromMinute, long toMinute, int limit);
}
