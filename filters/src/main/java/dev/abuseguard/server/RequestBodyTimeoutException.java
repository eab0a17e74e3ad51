package dev.abuseguard.server;

/**
 * A request's body did not arrive whole within {@code abuse-guard.server.request-body-timeout}; its connection is
 * closed. One shared instance without a stack trace: a slow client decides how often it is raised.
 */
public final class RequestBodyTimeoutException extends RuntimeException {

    static final RequestBodyTimeoutException INSTANCE = new RequestBodyTimeoutException();

    private RequestBodyTimeoutException() {
        super("the request body did not arrive within the server's limit", null, false, false);
    }
}
