package dev.abuseguard.audit;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where audit events go: a bounded, time-limited trail that operators read and follow live. */
public interface AuditTrail {

    Mono<Void> append(AuditEvent event);

    /** Newest first. */
    Flux<AuditEvent> recent(int limit);

    /** Events appended from now on, by any gateway instance that shares the trail. */
    Flux<AuditEvent> follow();
}
