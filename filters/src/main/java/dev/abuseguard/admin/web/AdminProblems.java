package dev.abuseguard.admin.web;

import dev.abuseguard.admin.AdminTargetNotFound;
import dev.abuseguard.admin.InvalidAdminInput;
import io.lettuce.core.RedisException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error of the admin API as an RFC 9457 problem body, typed {@code urn:abuse-guard:problem:<kind>} as the
 * gateway's own answers are: bad input (ours, and Spring's own, such as an unreadable body) 400 naming the
 * field, an unknown user, action or override 404, Redis out of reach 503 with {@code Retry-After}, a missing or
 * wrong token 401.
 */
@RestControllerAdvice(basePackageClasses = AdminProblems.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AdminProblems extends ResponseEntityExceptionHandler {

    private static final String TYPE = "urn:abuse-guard:problem:";
    private static final String RETRY_AFTER_SECONDS = "5";
    private static final JsonMapper JSON = new JsonMapper();

    @ExceptionHandler(InvalidAdminInput.class)
    ResponseEntity<ProblemDetail> invalid(InvalidAdminInput invalid) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, invalid.getMessage());
        problem.setProperty("field", invalid.field());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(AdminTargetNotFound.class)
    ResponseEntity<ProblemDetail> notFound(AdminTargetNotFound missing) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.NOT_FOUND, missing.getMessage()));
    }

    /** A dashboard polling through a Redis outage gets 503s, not a 500 and a stack trace in the log per call. */
    @ExceptionHandler(RedisException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(RedisException failure) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE,
                        "Redis, where the gateway keeps what this call reads or changes, cannot be reached "
                                + "right now."));
    }

    /** Spring's own refusals (an unreadable body, a wrong media type, ...) typed as ours. */
    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers,
                                                                HttpStatusCode status, ServerWebExchange exchange) {
        if (body instanceof ProblemDetail problem) {
            problem.setType(URI.create(TYPE + kind(status)));
            problem.setTitle(title(status));
        }
        return super.createResponseEntity(body, headers, status, exchange);
    }

    /** The 401 of the admin's security: a problem body and {@code WWW-Authenticate: Bearer}. */
    public static Mono<Void> unauthorized(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE + kind(HttpStatus.UNAUTHORIZED));
        problem.put("title", title(HttpStatus.UNAUTHORIZED));
        problem.put("status", 401);
        problem.put("detail", "This endpoint needs Authorization: Bearer <abuse-guard.admin.token>.");
        problem.put("instance", exchange.getRequest().getPath().value());
        return response.writeWith(Mono.just(response.bufferFactory().wrap(JSON.writeValueAsBytes(problem))));
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE + kind(status)));
        problem.setTitle(title(status));
        return problem;
    }

    private static String kind(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 404 -> "not-found";
            case 503 -> "store-unavailable";
            default -> HttpStatus.resolve(status.value()) == null ? "error"
                    : HttpStatus.resolve(status.value()).name().toLowerCase(Locale.ROOT).replace('_', '-');
        };
    }

    private static String title(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 404 -> "Not found";
            case 503 -> "Store unavailable";
            default -> HttpStatus.resolve(status.value()) == null ? "Error"
                    : HttpStatus.resolve(status.value()).getReasonPhrase();
        };
    }
}
