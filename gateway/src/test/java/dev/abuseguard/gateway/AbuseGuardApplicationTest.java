package dev.abuseguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AbuseGuardApplicationTest {

    private final String before = System.getProperty(AbuseGuardApplication.EVENT_LOOPS);

    @AfterEach
    void putBack() {
        if (before == null) {
            System.clearProperty(AbuseGuardApplication.EVENT_LOOPS);
        } else {
            System.setProperty(AbuseGuardApplication.EVENT_LOOPS, before);
        }
    }

    @Test
    void theJarRunsOneEventLoopPerCoreUnlessTheOperatorSaysOtherwise() {
        System.clearProperty(AbuseGuardApplication.EVENT_LOOPS);
        AbuseGuardApplication.oneEventLoopPerCore();
        assertThat(System.getProperty(AbuseGuardApplication.EVENT_LOOPS))
                .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));

        System.setProperty(AbuseGuardApplication.EVENT_LOOPS, "7");
        AbuseGuardApplication.oneEventLoopPerCore();
        assertThat(System.getProperty(AbuseGuardApplication.EVENT_LOOPS)).isEqualTo("7");
    }
}
