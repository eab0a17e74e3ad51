package dev.abuseguard.bench.shim;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Bench-only work-around, on the gateway's class path only when bench/run.sh needs it: with both
 * Spring Cloud Gateway's {@code principalNameKeyResolver} and abuse-guard's {@code userIdKeyResolver}
 * defined, {@code requestRateLimiterGatewayFilterFactory} cannot pick its default key resolver and the
 * application does not start. Marking {@code userIdKeyResolver} primary settles that; nothing on the
 * request path changes (the bench's built-in route names its key resolver explicitly).
 */
@AutoConfiguration
public class PrimaryUserIdKeyResolverAutoConfiguration {

    @Bean
    static BeanFactoryPostProcessor abuseGuardBenchPrimaryUserIdKeyResolver() {
        return beanFactory -> {
            if (beanFactory.containsBeanDefinition("userIdKeyResolver")) {
                beanFactory.getBeanDefinition("userIdKeyResolver").setPrimary(true);
                System.out.println("abuse-guard bench shim: userIdKeyResolver marked primary");
            }
        };
    }
}
