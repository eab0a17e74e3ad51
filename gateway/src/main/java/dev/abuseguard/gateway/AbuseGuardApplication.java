package dev.abuseguard.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The abuse-guard gateway: Spring Cloud Gateway with the AbuseGuard filter on the routes of routes.yml. */
@SpringBootApplication
public class AbuseGuardApplication {

    /** Reactor Netty's own setting; the operator's value, when given, wins. */
    static final String EVENT_LOOPS = "reactor.netty.ioWorkerCount";

    public static void main(String[] args) {
        oneEventLoopPerCore();
        SpringApplication.run(AbuseGuardApplication.class, args);
    }

    /**
     * Reactor Netty starts at least 4 event loops, whatever the cores. Each loop decides over its own Redis
     * connection, so loops beyond the cores only split the decisions into smaller batches, each costing
     * a write, a read and a wake-up on both sides (bench/NOTES.md has the figures).
     * Set before Reactor Netty's classes load, which read it once.
     */
    static void oneEventLoopPerCore() {
        if (System.getProperty(EVENT_LOOPS) == null) {
            System.setProperty(EVENT_LOOPS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
    }
}
