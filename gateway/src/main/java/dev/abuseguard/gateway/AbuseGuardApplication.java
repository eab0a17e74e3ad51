package dev.abuseguard.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The abuse-guard gateway: Spring Cloud Gateway with the AbuseGuard filter on the routes of routes.yml. */
@SpringBootApplication
public class AbuseGuardApplication {

    public static void main(String[] args) {
        SpringApplication.run(AbuseGuardApplication.class, args);
    }
}
