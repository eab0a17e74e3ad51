package dev.abuseguard.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The library's general Redis client runs on the application's Lettuce client resources when it has them
 * (Spring Boot's {@code lettuceClientResources}), and leaves them running when it closes; without them the
 * library has resources of its own, and shuts them down.
 */
class RedisClientResourcesTest {

    private static final RedisServer REDIS = RedisServer.shared();

    /** The store's configuration after Boot's, as the library's auto-configuration is ordered. */
    @AutoConfiguration(after = DataRedisAutoConfiguration.class)
    @EnableConfigurationProperties(AbuseGuardProperties.class)
    @Import(RedisStoreConfiguration.class)
    static class Store {
    }

    @Configuration(proxyBeanMethods = false)
    static class ConnectionDetailsOnly {
        @Bean
        DataRedisConnectionDetails redisConnectionDetails() {
            return new DataRedisConnectionDetails() {
                @Override
                public Standalone getStandalone() {
                    return Standalone.of("127.0.0.1", REDIS.port());
                }
            };
        }
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(Store.class))
            .withPropertyValues("abuse-guard.store.redis.event-loop-lanes=false");

    @Test
    void theGeneralClientRunsOnTheApplicationsResourcesAndLeavesThemRunning() {
        context.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + REDIS.port())
                .run(started -> {
                    ClientResources application = started.getBean("lettuceClientResources", ClientResources.class);
                    LettuceConnection connection = started.getBean(LettuceConnection.class);
                    ClientResources general = connection.generalResources();
                    assertThat(general.eventLoopGroupProvider()).isSameAs(application.eventLoopGroupProvider());
                    assertThat(general.eventExecutorGroup()).isSameAs(application.eventExecutorGroup());
                    assertThat(connection.commands().flatMap(redis -> redis.ping()).block(Duration.ofSeconds(5)))
                            .isEqualTo("PONG");

                    RedisClient client = RedisClient.create(application,
                            RedisURI.create("127.0.0.1", REDIS.port()));
                    try (StatefulRedisConnection<String, String> other = client.connect()) {
                        connection.close();

                        assertThat(application.eventExecutorGroup().isShuttingDown()).isFalse();
                        assertThat(other.sync().ping()).as("the application's connection, after the library closed")
                                .isEqualTo("PONG");
                    } finally {
                        client.shutdown();
                    }
                });
    }

    @Test
    void withoutThemTheLibraryHasItsOwnAndShutsThemDown() {
        context.withUserConfiguration(ConnectionDetailsOnly.class).run(started -> {
            assertThat(started).doesNotHaveBean(ClientResources.class);
            LettuceConnection connection = started.getBean(LettuceConnection.class);
            ClientResources own = connection.generalResources();
            assertThat(connection.commands().flatMap(redis -> redis.ping()).block(Duration.ofSeconds(5)))
                    .isEqualTo("PONG");

            connection.close();

            assertThat(own.eventExecutorGroup().isShuttingDown()).isTrue();
        });
    }
}
