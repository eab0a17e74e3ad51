package dev.abuseguard.gateway.admin;

import dev.abuseguard.filter.AnonymousIdentity;
import dev.abuseguard.filter.IdentityResolver;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * What the admin API reads from a caller, checked one way for every call: user ids as the filter checks them,
 * durations within bounds, and a 400 problem naming the field for anything else.
 */
final class AdminInput {

    /** The longest ban, exemption or window an admin may give: ten years, far below any overflow. */
    static final Duration LONGEST = Duration.ofDays(3650);

    private AdminInput() {
    }

    /** A 400 with a problem body whose {@code field} names what was wrong. */
    static ErrorResponseException badRequest(String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(URI.create("urn:abuse-guard:problem:bad-request"));
        problem.setTitle("Bad request");
        problem.setProperty("field", field);
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    /** The user id of a path as the filter accepts it, an anonymous client's, or a route's key; else a 400. */
    static String userId(String id, String pattern) {
        Pattern compiled = Pattern.compile(pattern);
        if (AnonymousIdentity.isWellFormed(id) || IdentityResolver.isKeyed(id, compiled)
                || IdentityResolver.isValid(id, compiled)) {
            return id;
        }
        throw badRequest("id", "The user id must match " + pattern
                + " (at most 128 characters; no braces, '~', spaces or control characters).");
    }

    /** A positive duration up to {@link #LONGEST} ({@code 30m}, {@code 1h}, {@code 7d}); {@code null} when optional and absent. */
    static Duration duration(String text, String field, boolean optional) {
        if (text == null || text.isBlank()) {
            if (optional) {
                return null;
            }
            throw badRequest(field, field + " is required, like 30m, 1h or 7d.");
        }
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException | ArithmeticException unreadable) {
            throw badRequest(field, field + " must be a duration like 30m, 1h or 7d.");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST) > 0) {
            throw badRequest(field, field + " must be more than 0 and at most " + LONGEST.toDays() + "d.");
        }
        return duration;
    }
}
