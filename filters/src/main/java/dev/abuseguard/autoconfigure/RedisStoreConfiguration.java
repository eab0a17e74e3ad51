package dev.abuseguard.autoconfigure;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.lettuce.RedisEndpoints;
import dev.abuseguard.lettuce.ServerEventLoops;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.StoreProperties;
import dev.abuseguard.redis.BlockInvalidations;
import io.lettuce.core.resource.ClientResources;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Redis, when {@code spring.data.redis.*} describes one and {@code abuse-guard.store.redis.enabled} allows it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBean(DataRedisConnectionDetails.class)
@ConditionalOnProperty(name = "abuse-guard.store.redis.enabled", havingValue = "true", matchIfMissing = true)
class RedisStoreConfiguration {

    @Bean(destroyMethod = "close")
    LettuceConnection abuseGuardRedisConnection(DataRedisConnectionDetails redis, AbuseGuardProperties properties,
                                                ObjectProvider<DataRedisProperties> boot, Environment environment,
                                                ObjectProvider<ClientResources> clientResources) {
        StoreProperties.Redis settings = properties.store().redis();
        DataRedisProperties data = boot.getIfAvailable(DataRedisProperties::new);
        return RedisEndpoints.connect(redis, RedisSettings.urlUsesSsl(data), data.getSsl().getBundle(),
                RedisSettings.clusterRefresh(environment), settings.connectTimeout(), settings.timeout(),
                settings.eventLoopLanes() ? ServerEventLoops.forLettuce() : List.of(),
                clientResources.getIfUnique());
    }

    @Bean(destroyMethod = "close")
    BlockInvalidations abuseGuardBlockInvalidations(LettuceConnection connection) {
        return new BlockInvalidations(connection);
    }
}
