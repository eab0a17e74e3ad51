package dev.abuseguard.admin;

/** What an operator acted on does not exist: an unknown user, action or override. */
public final class AdminTargetNotFound extends RuntimeException {

    public AdminTargetNotFound(String detail) {
        super(detail, null, false, false);
    }
}
