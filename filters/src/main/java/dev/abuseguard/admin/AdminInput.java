package dev.abuseguard.admin;

import dev.abuseguard.filter.AnonymousIdentity;
import dev.abuseguard.filter.IdentityResolver;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;

/**
 * What an operator's call reads, checked one way for every caller (the admin API, a moderator's command): user ids
 * as the filter checks them, durations within bounds; anything else is an {@link InvalidAdminInput} naming the
 * field.
 */
public final class AdminInput {

    /** The longest ban, exemption or window an operator may give: ten years, far below any overflow. */
    public static final Duration LONGEST = Duration.ofDays(3650);

    private AdminInput() {
    }

    /** The user id as the filter accepts it, an anonymous client's, or a route's key. */
    public static String userId(String id, String pattern) {
        Pattern compiled = Pattern.compile(pattern);
        if (id != null && (AnonymousIdentity.isWellFormed(id) || IdentityResolver.isKeyed(id, compiled)
                || IdentityResolver.isValid(id, compiled))) {
            return id;
        }
        throw new InvalidAdminInput("id", "The user id must match " + pattern
                + " (at most 128 characters; no braces, '~', spaces or control characters).");
    }

    /**
     * A positive duration up to {@link #LONGEST} ({@code 30m}, {@code 1h}, {@code 7d}); {@code null} when optional and
     * absent.
     */
    public static Duration duration(String text, String field, boolean optional) {
        if (text == null || text.isBlank()) {
            if (optional) {
                return null;
            }
            throw new InvalidAdminInput(field, field + " is required, like 30m, 1h or 7d.");
        }
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException | ArithmeticException unreadable) {
            throw new InvalidAdminInput(field, field + " must be a duration like 30m, 1h or 7d.");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST) > 0) {
            throw new InvalidAdminInput(field, field + " must be more than 0 and at most " + LONGEST.toDays() + "d.");
        }
        return duration;
    }
}
