package dev.abuseguard.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The race of many decisions needing a connection at once (at start-up, or after a failed attempt while
 * Redis was away): one connect for all of them, never one per caller, since a connection opened by a caller
 * that lost the race would be kept by nobody and never closed (one per request under load).
 */
class ReconnectingTest {

    private static final int CALLERS = 8;

    /** A connector whose attempts the test completes; counts the attempts it was asked for. */
    private static final class Connector {
        final List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();

        CompletableFuture<String> connect() {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        }
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(CALLERS);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Every caller calls {@code open()} at the same instant; returns what each got. */
    private List<CompletableFuture<String>> openAtOnce(Reconnecting<String> connection) throws Exception {
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CompletableFuture<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            calls.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return connection.open();
            }));
        }
        ready.await(5, TimeUnit.SECONDS);
        go.countDown();
        List<CompletableFuture<String>> got = new ArrayList<>();
        for (Future<CompletableFuture<String>> call : calls) {
            got.add(call.get(5, TimeUnit.SECONDS));
        }
        return got;
    }

    @RepeatedTest(50)
    void callersRacingForAConnectionShareOneAttempt() throws Exception {
        Connector connector = new Connector();
        Reconnecting<String> connection = new Reconnecting<>(connector::connect);

        List<CompletableFuture<String>> got = openAtOnce(connection);

        assertThat(connector.attempts).as("connects started for %d callers at once", CALLERS).hasSize(1);
        assertThat(Set.copyOf(got)).as("what the callers wait on").hasSize(1);
        assertThat(connection.ifOpen()).as("open before the attempt completes").isNull();
        connector.attempts.get(0).complete("connection-1");
        for (CompletableFuture<String> each : got) {
            assertThat(each.get(1, TimeUnit.SECONDS)).isEqualTo("connection-1");
        }
        assertThat(connection.ifOpen()).isEqualTo("connection-1");
        assertThat(connection.open().get()).isEqualTo("connection-1");
        assertThat(connector.attempts).as("connects once open").hasSize(1);
    }

    @RepeatedTest(50)
    void afterAFailedAttemptCallersRacingShareOneNewAttempt() throws Exception {
        Connector connector = new Connector();
        Reconnecting<String> connection = new Reconnecting<>(connector::connect);
        CompletableFuture<String> first = connection.open();
        connector.attempts.get(0).completeExceptionally(new IllegalStateException("Connection refused"));
        assertThat(first).isCompletedExceptionally();

        List<CompletableFuture<String>> got = openAtOnce(connection);

        assertThat(connector.attempts).as("connects: the failed one, then one for %d callers at once", CALLERS)
                .hasSize(2);
        assertThat(Set.copyOf(got)).hasSize(1);
        connector.attempts.get(1).complete("connection-2");
        assertThat(got.get(0).get(1, TimeUnit.SECONDS)).isEqualTo("connection-2");
        assertThat(connection.ifOpen()).isEqualTo("connection-2");
    }

    @Test
    void aConnectorThatThrowsFailsThatAttemptAndTheNextCallTriesAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Reconnecting<String> connection = new Reconnecting<>(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("no client resources yet");
            }
            return CompletableFuture.completedFuture("connection");
        });

        assertThat(connection.open()).isCompletedExceptionally();
        assertThat(connection.get().block(Duration.ofSeconds(1))).isEqualTo("connection");
        assertThat(calls).hasValue(2);
    }

    @Test
    void aSubscriberThatCancelsDoesNotCancelTheAttemptTheOthersWaitOn() throws Exception {
        Connector connector = new Connector();
        Reconnecting<String> connection = new Reconnecting<>(connector::connect);
        Set<String> seen = ConcurrentHashMap.newKeySet();

        connection.get().subscribe(seen::add).dispose(); // a request cancelled while its connection opens
        CompletableFuture<String> other = connection.open();
        connector.attempts.get(0).complete("connection");

        assertThat(other.get(1, TimeUnit.SECONDS)).isEqualTo("connection");
        assertThat(connector.attempts).hasSize(1);
        assertThat(seen).as("the cancelled subscriber gets nothing").isEmpty();
    }
}
