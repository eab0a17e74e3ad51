package dev.abuseguard.global;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One action's global count on this instance: at most {@code limit} admissions per window aligned to the epoch,
 * counted as the shared total last read plus what this instance admitted since. No lock and no I/O: the request
 * path does one compare-and-set. The sync takes the counts since the last sync ({@link #unsynced}) and hands the
 * shared total back ({@link Window#synced}).
 *
 * <p>Over-admission is bounded by what the other instances admit before this one reads their counts: their
 * admissions reach Redis within one sync interval and this instance reads them within the next.
 */
public final class GlobalCounter {

    private final String action;
    private final long windowMillis;
    private final AtomicReference<Window> current = new AtomicReference<>();
    /** Windows that ended with counts not yet synced: sent once by the next sync, then dropped. */
    private final AtomicReference<List<Window>> ended = new AtomicReference<>(List.of());

    public GlobalCounter(String action, long windowMillis) {
        if (windowMillis < 1) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.action = action;
        this.windowMillis = windowMillis;
    }

    public String action() {
        return action;
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** The window {@code nowMillis} falls in; the one before it is kept for the next sync. */
    Window window(long nowMillis) {
        long start = nowMillis - Math.floorMod(nowMillis, windowMillis);
        Window w = current.get();
        while (w == null || w.start != start) {
            if (w != null && w.start > start) {
                return w; // a caller with an older clock reading: count it in the newer window
            }
            Window next = new Window(start);
            if (current.compareAndSet(w, next)) {
                if (w != null) {
                    Window old = w;
                    ended.getAndUpdate(list -> {
                        List<Window> more = new ArrayList<>(list);
                        more.add(old);
                        return List.copyOf(more);
                    });
                }
                return next;
            }
            w = current.get();
        }
        return w;
    }

    /**
     * Admits one request if the shared total last read plus this instance's own admissions since stay below
     * {@code limit} (passed in, so that a changed limit applies at once to the counts so far).
     *
     * @return the window the admission was counted in (hand it back with {@link Window#release()} if the
     *         request is not forwarded after all), or {@code null} when the global limit is reached
     */
    public Window tryAdmit(long nowMillis, long limit) {
        Window w = window(nowMillis);
        while (true) {
            long own = w.local.get();
            if (w.shared + own >= limit) {
                return null;
            }
            if (w.local.compareAndSet(own, own + 1)) {
                return w;
            }
        }
    }

    /** Until the window of {@code nowMillis} ends: when a refused request may try again. */
    public long retryAfterMillis(long nowMillis) {
        return windowMillis - Math.floorMod(nowMillis, windowMillis);
    }

    /** The admissions this instance knows of in the current window: shared total read plus its own since. */
    public long known(long nowMillis) {
        Window w = window(nowMillis);
        return w.shared + w.local.get();
    }

    /** The windows to sync now: ended ones with counts not yet sent (taken, so sent once), then the current one. */
    List<Window> toSync(long nowMillis) {
        Window now = window(nowMillis);
        List<Window> sync = new ArrayList<>();
        for (Window old : ended.getAndSet(List.of())) {
            if (old.local.get() != 0) {
                sync.add(old);
            }
        }
        sync.add(now);
        return sync;
    }

    /** One window of one action: the shared total as last read and this instance's admissions since. */
    public static final class Window {
        final long start;
        /** The shared total as last read (this instance's synced admissions included); written by the sync only. */
        private volatile long shared;
        /** Admitted here and not yet in {@link #shared}; may go below 0 after releases. */
        private final AtomicLong local = new AtomicLong();

        Window(long start) {
            this.start = start;
        }

        public long start() {
            return start;
        }

        /** The request counted in this window was not forwarded after all. */
        public void release() {
            local.decrementAndGet();
        }

        /** What the next sync adds to the shared counter; stays counted here until {@link #synced}. */
        long unsynced() {
            return local.get();
        }

        /**
         * The shared counter, now including {@code sent}. The total is written first: until {@code sent} leaves
         * the local count it is counted twice, which can refuse a request too many for an instant but never admit
         * one too many.
         */
        void synced(long sent, long total) {
            shared = total;
            local.addAndGet(-sent);
        }
    }
}
