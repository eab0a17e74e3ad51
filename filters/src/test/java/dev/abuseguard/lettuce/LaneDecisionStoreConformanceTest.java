package dev.abuseguard.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.DecisionStoreConformance;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.policy.Action;
import dev.abuseguard.overrides.RedisUserOverrides;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.redis.RedisDecisionStore;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every scenario with each decision made on a server event loop, as the gateway makes them: over that
 * loop's own connection (its lane, ASCII codec, consolidated flushes), answered on the loop.
 */
class LaneDecisionStoreConformanceTest extends DecisionStoreConformance {

    private static final RedisServer redis = RedisServer.shared();
    private static EventLoopGroup serverLoops;
    private static List<EventLoop> loops;
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();
    private final Set<String> answeredOn = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startLoops() {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        serverLoops = new MultiThreadIoEventLoopGroup(2, io);
        loops = new ArrayList<>();
        serverLoops.forEach(executor -> loops.add((EventLoop) executor));
    }

    @AfterAll
    static void stopLoops() {
        serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @AfterEach
    void everyDecisionWasAnsweredOnAServerLoop() {
        assertThat(answeredOn).isNotEmpty().allSatisfy(thread -> assertThat(
                loops.stream().anyMatch(loop -> loop.inEventLoop(threadNamed(thread)))).as(thread).isTrue());
    }

    private static Thread threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    @Override
    protected DecisionStore store(ScoringRules rules) {
        LettuceConnection connection = connections.lanes(redis, loops);
        assertThat(connection.laneCount()).isEqualTo(loops.size());
        return onServerLoops(new RedisDecisionStore(connection, () -> rules, clock::millis));
    }

    @Override
    protected Overridden overridden(ScoringRules rules, Tiers tiers) {
        LettuceConnection connection = connections.lanes(redis, loops);
        return new Overridden(onServerLoops(new RedisDecisionStore(connection, () -> rules, clock::millis,
                tiers::scriptArgument)), new RedisUserOverrides(connection, clock, Duration.ofDays(1), 10_000));
    }

    /** Each decision asked for on the next server event loop, as the gateway's filters ask. */
    private DecisionStore onServerLoops(RedisDecisionStore store) {
        return new DecisionStore() {
            private int next;

            @Override
            public Mono<Decision> decide(String userId, Action action, Spend spend) {
                EventLoop loop = loops.get(next++ % loops.size());
                return Mono.defer(() -> store.decide(userId, action, spend))
                        .subscribeOn(Schedulers.fromExecutor(loop))
                        .doOnNext(decision -> answeredOn.add(Thread.currentThread().getName()));
            }
        };
    }
}
