package dev.abuseguard.server;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * A request whose body did not arrive within the limit ({@link RequestBodyTimeoutException}) ends here, quietly: its
 * connection is being closed, so nobody reads an answer, and the default handler would log each one as a server
 * error (a slow client could fill the log at will). Ordered before Spring Boot's error handler.
 */
public final class TimedOutRequests implements WebExceptionHandler, Ordered {

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (!(failure instanceof RequestBodyTimeoutException)) {
            return Mono.error(failure);
        }
        exchange.getResponse().setStatusCode(HttpStatus.REQUEST_TIMEOUT);
        return exchange.getResponse().setComplete();
    }

    @Override
    public int getOrder() {
        return -2;
    }
}
