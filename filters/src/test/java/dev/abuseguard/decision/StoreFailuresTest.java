package dev.abuseguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What an operator reads in the log when the store fails, recovers, or flaps with part of a cluster down. */
class StoreFailuresTest {

    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final StoreFailures failures = new StoreFailures(nanos::get);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(StoreFailures.class);
    private final Throwable refused = new RedisConnectionException("down", new ConnectException("Connection refused"));

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    @Test
    void anOutageAndItsEndAreOneLineEach() {
        failures.answered();
        failures.failed(refused);
        later(100);
        failures.failed(refused);
        later(2000);
        failures.answered();
        failures.answered();

        assertThat(messages()).containsExactly(
                "event=store_unavailable reason=\"Redis refused the connection: Connection refused\"",
                "event=store_available");
        assertThat(failures.reason()).isNull();
    }

    @Test
    void aStoreFailingEveryOtherRequestLogsAtMostOnceASecondAndEndsOnItsState() {
        for (int request = 0; request < 3000; request++) { // 3 s of a partial cluster outage, 1000 requests/s
            if (request % 2 == 0) {
                failures.failed(refused);
                assertThat(failures.reason()).isNotNull();
            } else {
                failures.answered();
                assertThat(failures.reason()).isNull();
            }
            later(1);
        }
        later(1500);
        failures.answered(); // the dead master's slots have moved: everything answers again

        List<String> told = messages();
        assertThat(told).hasSizeBetween(3, 5);
        assertThat(told.get(0)).startsWith("event=store_unavailable");
        assertThat(told.get(told.size() - 1)).startsWith("event=store_available");
        assertThat(String.join("\n", told)).contains("changes_since_last_line=");
    }

    private void later(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
