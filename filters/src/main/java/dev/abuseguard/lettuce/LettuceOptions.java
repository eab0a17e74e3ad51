package dev.abuseguard.lettuce;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The client options every connection here shares: time limits, TLS, no queueing while disconnected. */
final class LettuceOptions {

    /** How long a command that is not a script (admin reads, audit reads, pub/sub) may take. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private LettuceOptions() {
    }

    static ClientOptions standalone(SslOptions ssl, Duration connectTimeout, Duration scriptTimeout) {
        ClientOptions.Builder options = ClientOptions.builder();
        apply(options, ssl, connectTimeout, scriptTimeout);
        return options.build();
    }

    static ClusterClientOptions cluster(SslOptions ssl, ClusterRefresh refresh, Duration connectTimeout,
                                        Duration scriptTimeout) {
        ClusterClientOptions.Builder options = ClusterClientOptions.builder().topologyRefreshOptions(refresh.options());
        apply(options, ssl, connectTimeout, scriptTimeout);
        return options.build();
    }

    /** Commands sent while disconnected fail at once instead of queueing, so the circuit breaker sees the outage. */
    private static void apply(ClientOptions.Builder options, SslOptions ssl, Duration connectTimeout,
                              Duration scriptTimeout) {
        options.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .timeoutOptions(timeouts(scriptTimeout))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        if (ssl != null) {
            options.sslOptions(ssl);
        }
    }

    /**
     * Scripts (the decisions, and the admin's few) time out after the store's time limit, other commands
     * after {@link #COMMAND_TIMEOUT}. A timed-out command fails with {@code RedisCommandTimeoutException}; its
     * reply, should it come, is dropped.
     */
    private static TimeoutOptions timeouts(Duration scriptTimeout) {
        long scriptNanos = scriptTimeout.toNanos();
        long otherNanos = COMMAND_TIMEOUT.toNanos();
        return TimeoutOptions.builder().timeoutSource(new TimeoutOptions.TimeoutSource() {
            @Override
            public long getTimeout(RedisCommand<?, ?, ?> command) {
                ProtocolKeyword type = command.getType();
                return type == CommandType.EVALSHA || type == CommandType.EVAL ? scriptNanos : otherNanos;
            }

            @Override
            public TimeUnit getTimeUnit() {
                return TimeUnit.NANOSECONDS;
            }
        }).build();
    }
}
