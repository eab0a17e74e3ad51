package dev.abuseguard.gateway.admin;

import io.lettuce.core.RedisException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * An admin call that needs Redis while Redis is unreachable or too slow gets 503 with a problem body and
 * {@code Retry-After}, as a decision that cannot be made does, instead of a 500 and a stack trace in the log
 * for each call of a dashboard polling through an outage.
 */
@RestControllerAdvice(basePackageClasses = StoreUnavailableAdvice.class)
class StoreUnavailableAdvice {

    private static final String RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(RedisException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(RedisException failure) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Redis, where the gateway keeps what this call reads or changes, cannot be reached right now.");
        problem.setType(URI.create("urn:abuse-guard:problem:store-unavailable"));
        problem.setTitle("Store unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).body(problem);
    }
}
