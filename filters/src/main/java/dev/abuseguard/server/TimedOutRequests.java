package dev.abuseguard.server;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * A request whose body did not arrive within the limit ends here, quietly: Reactor Netty has closed its connection
 * already, so nobody reads an answer, and the default handler would log each one as a server error with its stack
 * trace (a slow client could fill the log at will). Ordered before Spring Boot's error handler.
 */
public final class TimedOutRequests implements WebExceptionHandler, Ordered {

    /** Reactor Netty's exception for it, which is not public. */
    static final String REQUEST_TIMED_OUT = "reactor.netty.http.server.RequestTimeoutException";

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (!REQUEST_TIMED_OUT.equals(failure.getClass().getName())) {
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
