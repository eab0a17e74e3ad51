package dev.abuseguard.autoconfigure;

import dev.abuseguard.admin.web.AdminApi;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Import;

/**
 * The admin API and dashboard in any Spring Cloud Gateway application with Spring Security, switched on by
 * {@code abuse-guard.admin.enabled: true}; every call but the dashboard page needs {@code abuse-guard.admin.token}.
 */
@AutoConfiguration(after = AbuseGuardAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = "org.springframework.security.config.web.server.ServerHttpSecurity")
@ConditionalOnProperty(name = "abuse-guard.admin.enabled", havingValue = "true")
@Import(AdminApi.class)
public class AdminApiAutoConfiguration {
}
