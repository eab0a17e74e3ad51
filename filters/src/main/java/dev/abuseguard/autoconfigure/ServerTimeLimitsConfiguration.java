package dev.abuseguard.autoconfigure;

import dev.abuseguard.server.ServerTimeLimits;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.server.TimedOutRequests;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import reactor.netty.http.server.HttpServer;

/** The Reactor Netty server's time limits for request heads and bodies ({@code abuse-guard.server.*}). */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({HttpServer.class, NettyServerCustomizer.class})
@EnableConfigurationProperties(AbuseGuardProperties.class)
public class ServerTimeLimitsConfiguration {

    @Bean
    ServerTimeLimits abuseGuardServerTimeLimits(AbuseGuardProperties properties) {
        return new ServerTimeLimits(properties.server().requestHeaderTimeout(),
                properties.server().requestBodyTimeout());
    }

    @Bean
    TimedOutRequests abuseGuardTimedOutRequests() {
        return new TimedOutRequests();
    }
}
