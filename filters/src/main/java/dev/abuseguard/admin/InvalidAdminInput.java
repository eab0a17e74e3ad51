package dev.abuseguard.admin;

/** What an operator asked for cannot be done as asked: {@code field} names what was wrong. */
public final class InvalidAdminInput extends RuntimeException {

    private final String field;

    public InvalidAdminInput(String field, String detail) {
        super(detail, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
