package dev.abuseguard.admin.web;

import dev.abuseguard.admin.InvalidAdminInput;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The admin API's numeric query parameters, checked alike: a 400 problem naming the parameter. */
final class QueryNumbers {

    private QueryNumbers() {
    }

    /** A whole number from 1 to {@code max}: see {@link #number}. */
    static int whole(ServerHttpRequest request, String name, int absent, int max) {
        return (int) number(request, name, absent, 1, max);
    }

    /**
     * A whole number from {@code min} to {@code max}, given at most once; a 400 problem naming the parameter
     * otherwise (read from the query itself: an empty {@code minutes=} is not the same as no {@code minutes}).
     */
    static long number(ServerHttpRequest request, String name, long absent, long min, long max) {
        List<String> values = request.getQueryParams().get(name);
        if (values == null) {
            return absent;
        }
        String text = values.isEmpty() || values.get(0) == null ? "" : values.get(0);
        if (values.size() > 1 || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)
                || Long.parseLong(text) < min || Long.parseLong(text) > max) {
            throw new InvalidAdminInput(name, name + " must be given once, as a whole number from " + min
                    + (max == Long.MAX_VALUE ? " up" : " to " + max) + ".");
        }
        return Long.parseLong(text);
    }
}
