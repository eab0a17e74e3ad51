package dev.abuseguard.global;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One action's global count on one instance, and two instances reconciled through a shared counter. */
class GlobalCounterTest {

    private static final long T0 = 1_700_000_000_000L; // a window start for windows of 1 s and 10 s

    /** Stands in for the Redis counters: what global-sync.lua does with one key. */
    private final Map<Long, Long> shared = new HashMap<>();

    private void sync(GlobalCounter counter, long now) {
        for (GlobalCounter.Window window : counter.toSync(now)) {
            long delta = window.unsynced();
            long total = shared.merge(window.start(), delta, Long::sum);
            window.synced(delta, total);
        }
    }

    @Test
    void oneInstanceAdmitsExactlyTheLimitPerWindowAndTellsWhenTheWindowEnds() {
        GlobalCounter counter = new GlobalCounter("search", 1_000);

        for (int i = 0; i < 3; i++) {
            assertThat(counter.tryAdmit(T0 + 100, 3)).isNotNull();
        }
        assertThat(counter.tryAdmit(T0 + 400, 3)).isNull();
        assertThat(counter.retryAfterMillis(T0 + 400)).isEqualTo(600);
        assertThat(counter.tryAdmit(T0 + 999, 3)).isNull();

        assertThat(counter.tryAdmit(T0 + 1_000, 3)).as("a new window").isNotNull();
        assertThat(counter.known(T0 + 1_000)).isEqualTo(1);
    }

    @Test
    void concurrentAdmissionsNeverPassTheLimit() throws Exception {
        GlobalCounter counter = new GlobalCounter("search", 10_000);
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 8; t++) {
            threads.submit(() -> {
                start.await();
                for (int i = 0; i < 5_000; i++) {
                    if (counter.tryAdmit(T0 + 5, 1_000) != null) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            });
        }
        start.countDown();
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(admitted.get()).isEqualTo(1_000);
    }

    @Test
    void twoInstancesLearnEachOthersCountsAtTheirSyncsAndOverAdmitOnlyWhatCameBetween() {
        GlobalCounter a = new GlobalCounter("search", 10_000);
        GlobalCounter b = new GlobalCounter("search", 10_000);

        for (int i = 0; i < 4; i++) {
            assertThat(a.tryAdmit(T0, 10)).isNotNull();
            assertThat(b.tryAdmit(T0, 10)).isNotNull();
        }
        sync(a, T0 + 100);
        sync(b, T0 + 100);
        assertThat(a.known(T0 + 100)).as("a read before b added its 4").isEqualTo(4);
        assertThat(b.known(T0 + 100)).isEqualTo(8);

        // b knows everything: 2 more and it is full
        assertThat(b.tryAdmit(T0 + 150, 10)).isNotNull();
        assertThat(b.tryAdmit(T0 + 150, 10)).isNotNull();
        assertThat(b.tryAdmit(T0 + 150, 10)).isNull();
        // a does not know b's last 6 yet: it admits up to 6 of its own, the over-admission of one stale interval
        int aAdmitted = 0;
        while (a.tryAdmit(T0 + 150, 10) != null) {
            aAdmitted++;
        }
        assertThat(aAdmitted).isEqualTo(6);

        sync(a, T0 + 200);
        sync(b, T0 + 200);
        assertThat(shared.get(T0)).as("admitted in all: 10 known to b, 6 more by a while b's last 6 were unknown to it")
                .isEqualTo(16);
        assertThat(a.tryAdmit(T0 + 250, 10)).isNull();
        assertThat(b.tryAdmit(T0 + 250, 10)).isNull();
        assertThat(a.known(T0 + 250)).as("a read before b's last sync").isEqualTo(14);
    }

    @Test
    void aReleasedAdmissionIsGivenBackAndTheSyncSubtractsIt() {
        GlobalCounter counter = new GlobalCounter("search", 10_000);
        GlobalCounter.Window first = counter.tryAdmit(T0, 2);
        GlobalCounter.Window second = counter.tryAdmit(T0, 2);
        sync(counter, T0 + 100);
        assertThat(counter.tryAdmit(T0 + 100, 2)).isNull();

        first.release();
        assertThat(counter.known(T0 + 100)).isEqualTo(1);
        sync(counter, T0 + 200);
        assertThat(shared.get(T0)).isEqualTo(1);
        assertThat(counter.tryAdmit(T0 + 200, 2)).isSameAs(second);
        assertThat(counter.tryAdmit(T0 + 200, 2)).isNull();
    }

    @Test
    void aSyncInFlightCountsItsDeltaTwiceForAnInstantNeverNotAtAll() {
        GlobalCounter counter = new GlobalCounter("search", 10_000);
        for (int i = 0; i < 3; i++) {
            counter.tryAdmit(T0, 5);
        }
        List<GlobalCounter.Window> sync = counter.toSync(T0 + 100);
        long delta = sync.get(0).unsynced();
        counter.tryAdmit(T0 + 100, 5); // admitted while the sync is on its way
        assertThat(counter.known(T0 + 100)).isEqualTo(4);

        sync.get(0).synced(delta, 3);
        assertThat(counter.known(T0 + 100)).isEqualTo(4);
        assertThat(sync.get(0).unsynced()).as("left for the next sync").isEqualTo(1);
    }

    @Test
    void theLastCountsOfAnEndedWindowAreSentOnceThenOnlyTheNewWindow() {
        GlobalCounter counter = new GlobalCounter("search", 1_000);
        counter.tryAdmit(T0 + 900, 100);
        counter.tryAdmit(T0 + 1_100, 100);

        List<GlobalCounter.Window> first = counter.toSync(T0 + 1_200);
        assertThat(first).extracting(GlobalCounter.Window::start).containsExactly(T0, T0 + 1_000);
        assertThat(counter.toSync(T0 + 1_300)).extracting(GlobalCounter.Window::start).containsExactly(T0 + 1_000);
    }
}
