package dev.abuseguard.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.redis.RedisDecisionStore;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.testsupport.RedisServer;
import io.lettuce.core.RedisURI;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Decisions made on an event loop of the server go over that loop's own Redis connection and are answered
 * on that loop; decisions from anywhere else, or with ids beyond ASCII, take the general connection.
 */
class DecisionLanesTest {

    private static final RedisServer redis = RedisServer.shared();
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static final Action PACK_CREATE = new Action("pack_create",
            ActionPolicy.of(5, Duration.ofHours(1), StrategyType.TOKEN_BUCKET));

    /** Each test's connections by a name of their own, so that one test never counts another's. */
    private final String clientName = "decision-lanes-" + TESTS.incrementAndGet();
    private EventLoopGroup serverLoops;
    private List<EventLoop> loops;
    private LettuceConnection connection;
    private RedisDecisionStore store;

    @BeforeEach
    void start() {
        redis.flushAll();
        // the transport Lettuce picks (epoll where it is available), as Reactor Netty's server does
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        serverLoops = new MultiThreadIoEventLoopGroup(2, io);
        loops = new ArrayList<>();
        serverLoops.forEach(executor -> loops.add((EventLoop) executor));
        RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(redis.port()).withClientName(clientName)
                .build();
        connection = LettuceConnection.standalone(uri, null, Duration.ofSeconds(1), Duration.ofSeconds(2), loops);
        store = new RedisDecisionStore(connection, ScoringRules::defaults);
        store.warmUp().block(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        connection.close();
        serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The decision, and the thread it was handed to the caller on, for a call made on {@code loop}. */
    private record Answered(Decision decision, Thread thread, Thread loopThread) {
    }

    private Answered decideOn(EventLoop loop, String user) throws Exception {
        CompletableFuture<Answered> answered = new CompletableFuture<>();
        loop.execute(() -> {
            Thread loopThread = Thread.currentThread();
            store.decide(user, PACK_CREATE).subscribe(
                    decision -> answered.complete(new Answered(decision, Thread.currentThread(), loopThread)),
                    answered::completeExceptionally);
        });
        return answered.get(5, TimeUnit.SECONDS);
    }

    /** This test's Redis clients that have sent a decision (their last command is EVALSHA), by client id. */
    private List<String> clientsThatDecided() {
        return redis.run("CLIENT", "LIST").stream()
                .flatMap(lines -> lines.lines())
                .filter(line -> line.contains(" name=" + clientName + " ") && line.contains(" cmd=evalsha "))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .collect(Collectors.toList());
    }

    @Test
    void aDecisionOnAnEventLoopIsAnsweredOnThatLoopOverAConnectionOfItsOwn() throws Exception {
        assertThat(connection.laneCount()).isEqualTo(2);

        Answered first = decideOn(loops.get(0), "alice");
        assertThat(first.decision().outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(first.decision().remaining()).isEqualTo(4);
        assertThat(first.thread()).as("the thread the decision came back on").isSameAs(first.loopThread());
        assertThat(clientsThatDecided()).hasSize(1);

        Answered second = decideOn(loops.get(1), "alice");
        assertThat(second.decision().remaining()).isEqualTo(3); // the same user's state, whichever loop
        assertThat(second.thread()).isSameAs(second.loopThread()).isNotSameAs(first.thread());
        assertThat(clientsThatDecided()).as("one Redis connection per loop").hasSize(2);

        decideOn(loops.get(0), "bob");
        decideOn(loops.get(1), "bob");
        assertThat(clientsThatDecided()).as("each loop keeps to its connection").hasSize(2);
    }

    @Test
    void aDecisionFromAnotherThreadTakesTheGeneralConnection() throws Exception {
        decideOn(loops.get(0), "carol");
        Decision fromTheTestThread = store.decide("carol", PACK_CREATE).block(Duration.ofSeconds(5));

        assertThat(fromTheTestThread.remaining()).isEqualTo(3);
        assertThat(clientsThatDecided()).as("the loop's lane and the general connection").hasSize(2);
    }

    @Test
    void anIdBeyondAsciiIsStoredAsItIsWritten() throws Exception {
        // the lanes speak ASCII; an operator's identity pattern may let other ids through
        Answered answered = decideOn(loops.get(0), "jürgen");

        assertThat(answered.decision().remaining()).isEqualTo(4);
        assertThat(redis.keys("ag:{u:jürgen}:*")).hasSize(1);
        assertThat(redis.keys("ag:{u:j?rgen}:*")).as("nothing stored under a mangled id").isEmpty();
        assertThat(decideOn(loops.get(1), "jürgen").decision().remaining()).isEqualTo(3);
    }
}
