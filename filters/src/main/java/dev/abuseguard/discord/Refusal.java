package dev.abuseguard.discord;

import org.springframework.http.HttpStatus;

/**
 * A request refused before anything was decided: nothing parsed past the refusal, nothing stored, nothing
 * forwarded. Carries no stack trace; it is an answer, not a fault.
 */
final class Refusal extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;

    private Refusal(HttpStatus status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** Discord tests endpoints with bad signatures and drops those that accept them. */
    static Refusal unverified(String detail) {
        return new Refusal(HttpStatus.UNAUTHORIZED, "bad-signature", "Invalid request signature", detail);
    }

    static Refusal tooLarge(long maxBytes) {
        return new Refusal(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Interaction too large",
                "An interaction is at most " + maxBytes + " bytes here.");
    }

    /** A signed interaction sent again: answered once already, so never forwarded, spent or scored again. */
    static Refusal replayed() {
        return new Refusal(HttpStatus.CONFLICT, "replayed", "Interaction already received",
                "This interaction was received before; it is not handled twice.");
    }

    static Refusal notAnInteraction(String detail) {
        return new Refusal(HttpStatus.BAD_REQUEST, "bad-request", "Not an interaction", detail);
    }

    HttpStatus status() {
        return status;
    }

    String type() {
        return type;
    }

    String title() {
        return title;
    }
}
