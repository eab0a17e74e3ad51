package dev.abuseguard.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The audit trail of a single instance: the last {@code maxLength} events in memory. */
public final class InMemoryAuditTrail implements AuditTrail {

    private final int maxLength;
    private final Deque<AuditEvent> events = new ArrayDeque<>();
    private final Sinks.Many<AuditEvent> live = Sinks.many().multicast().directBestEffort();
    private long sequence;

    public InMemoryAuditTrail(int maxLength) {
        this.maxLength = maxLength;
    }

    @Override
    public Mono<Void> append(AuditEvent event) {
        return Mono.fromRunnable(() -> {
            synchronized (events) { // also serialises the emissions the sink requires
                AuditEvent stored = event.withId(Long.toString(++sequence));
                events.addFirst(stored);
                if (events.size() > maxLength) {
                    events.removeLast();
                }
                live.tryEmitNext(stored);
            }
        });
    }

    @Override
    public Flux<AuditEvent> recent(int limit) {
        return Flux.defer(() -> {
            List<AuditEvent> newestFirst;
            synchronized (events) {
                newestFirst = new ArrayList<>(events).subList(0, Math.min(limit, events.size()));
            }
            return Flux.fromIterable(newestFirst);
        });
    }

    @Override
    public Flux<AuditEvent> follow() {
        return live.asFlux();
    }
}
