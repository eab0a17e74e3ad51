package dev.abuseguard.filter;

/**
 * A request the gateway refuses before deciding anything: 400, nothing stored, nothing forwarded.
 * Carries no stack trace; it is an answer, not a fault.
 */
final class BadInput extends RuntimeException {

    private final String field;

    BadInput(String field, String detail) {
        super(detail, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
