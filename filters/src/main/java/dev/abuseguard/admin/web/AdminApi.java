package dev.abuseguard.admin.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The admin API ({@code /admin/api}) and the dashboard ({@code /admin}), with the admin token's security and
 * problem bodies: imported by the auto-configuration when {@code abuse-guard.admin.enabled} is true and Spring
 * Security is on the class path.
 */
@Configuration(proxyBeanMethods = false)
@Import({AdminSecurity.class, AdminProblems.class, AdminController.class, OverridesController.class,
        TrendsController.class, ShadowController.class, DashboardPage.class, DiscordCommandsController.class})
public class AdminApi {
}
