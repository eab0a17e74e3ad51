package dev.abuseguard.decision;

import reactor.core.publisher.Mono;

/**
 * Something of the shared store's besides its blocks that this instance keeps a copy of for the local fallback
 * (the operator's overrides). The chain drives it as it drives the copy of the blocks: it follows the news from
 * start to close, and reloads at start, every resync and after an outage.
 */
public interface SharedCopy {

    /** Applies the shared store's news of changes as they arrive; completes only when the news end. */
    Mono<Void> follow();

    /** Reads the copy afresh; a failed read changes nothing and completes empty (the next one tries again). */
    Mono<Void> reload();

    SharedCopy NONE = new SharedCopy() {
        @Override
        public Mono<Void> follow() {
            return Mono.never();
        }

        @Override
        public Mono<Void> reload() {
            return Mono.empty();
        }
    };
}
