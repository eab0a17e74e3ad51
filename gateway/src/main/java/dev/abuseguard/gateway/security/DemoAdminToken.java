package dev.abuseguard.gateway.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * Profile {@code demo} only: when no admin token is set, one is generated and printed at start-up, as Spring
 * Security prints a generated password, so the dashboard at {@code /admin} can be used at once. Outside the demo
 * nothing is generated: without a token every admin call stays refused.
 */
public final class DemoAdminToken implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "abuse-guard.admin.token";
    static final String SOURCE = "abuseGuardDemoAdminToken";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Log log;

    public DemoAdminToken(DeferredLogFactory logs) {
        this.log = logs.getLog(DemoAdminToken.class);
    }

    /** After the config files (routes.yml among them) and profiles are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of("demo"))
                || !Binder.get(environment).bind(PROPERTY, String.class).orElse("").isBlank()) {
            return;
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, Map.of(PROPERTY, token)));
        log.warn(String.format("%n%nUsing generated admin token: %s%n%nThis generated token is for the demo profile "
                + "only: set abuse-guard.admin.token (ABUSE_GUARD_ADMIN_TOKEN) for any other use. Open /admin and "
                + "paste it into the token field.%n", token));
    }
}
