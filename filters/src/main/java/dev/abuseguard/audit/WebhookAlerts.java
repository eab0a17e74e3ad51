package dev.abuseguard.audit;

import dev.abuseguard.logging.LogValue;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Posts an alert for every new block to a webhook (a Discord-compatible {@code {"content": ...}} body),
 * from a bounded queue, off the request path: retried with backoff, dropped with a log line after the
 * last try or when the queue is full. Never delays or fails a user's request.
 */
public final class WebhookAlerts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookAlerts.class);

    private final Sinks.Many<AuditEvent> queue;
    private final Disposable worker;
    private final MeterRegistry meters;

    private final Duration timeout;

    private WebhookAlerts(WebClient client, URI url, Retry retry, int queueSize, Duration timeout,
            MeterRegistry meters) {
        this.meters = meters;
        this.timeout = timeout;
        this.queue = Sinks.many().unicast().onBackpressureBuffer(Queues.<AuditEvent>get(queueSize).get());
        this.worker = url == null ? null
                : queue.asFlux().flatMap(event -> deliver(client, url, retry, event), 4).subscribe();
    }

    /**
     * @param url     {@code null}: alerts are off
     * @param timeout the longest one attempt may take: a webhook that accepts and never answers holds one of the
     *                few delivery slots only that long, so it costs its own alert and nothing else
     */
    public static WebhookAlerts to(URI url, WebClient client, Retry retry, int queueSize, Duration timeout,
                                   MeterRegistry meters) {
        return new WebhookAlerts(client, url, retry, queueSize, timeout, meters);
    }

    public void blocked(AuditEvent block) {
        enqueue(block);
    }

    /** A spike of an action's rate: posted as {@code abuse-guard: spike of action <name>: <rates>}. */
    public void spike(AuditEvent spike) {
        enqueue(spike);
    }

    private void enqueue(AuditEvent block) {
        if (worker == null) {
            return;
        }
        boolean queued;
        synchronized (queue) {
            queued = queue.tryEmitNext(block).isSuccess();
        }
        if (!queued) {
            count("dropped");
            log.warn("event=alert_dropped user={} reason=queue_full", LogValue.token(block.userId()));
        }
    }

    private Mono<Void> deliver(WebClient client, URI url, Retry retry, AuditEvent block) {
        String text = block.type() == EventType.SPIKE
                ? "abuse-guard: spike of action " + literal(block.action()) + ": " + block.detail()
                : "abuse-guard: user " + literal(block.userId()) + " is blocked (abuse score " + block.score()
                        + ", last action " + block.action() + ", " + block.detail() + ")";
        // parse: [] - Discord pings nobody whatever the text holds; the id is shown, never read as a mention
        return client.post().uri(url).bodyValue(Map.of("content", text, "username", "abuse-guard",
                        "allowed_mentions", Map.of("parse", List.of())))
                .retrieve().toBodilessEntity()
                .timeout(timeout)
                .transformDeferred(RetryOperator.of(retry))
                .doOnSuccess(sent -> count("sent"))
                .then()
                .onErrorResume(error -> {
                    count("failed");
                    log.warn("event=alert_dropped user={} attempts={} error={}", LogValue.token(block.userId()),
                            retry.getRetryConfig().getMaxAttempts(), LogValue.quoted(error));
                    return Mono.empty();
                });
    }

    /**
     * An id as inline code, which Discord renders as it is (no mention, no markdown): backticks cannot close the
     * span early ({@code ˋ} instead), and a zero-width space after every {@code @} and {@code <} keeps
     * {@code @everyone} or {@code <@123>} from being mention syntax even for a reader that ignores the span.
     */
    static String literal(String id) {
        return "`" + id.replace('`', '\u02cb').replace("@", "@\u200b").replace("<", "<\u200b") + "`";
    }

    private void count(String result) {
        meters.counter("abuseguard.alerts", "result", result).increment();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.dispose();
        }
    }
}
