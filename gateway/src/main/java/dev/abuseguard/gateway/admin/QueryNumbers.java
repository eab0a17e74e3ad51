package dev.abuseguard.gateway.admin;

import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The admin API's numeric query parameters, checked alike: a clear 400 problem naming the parameter. */
final class QueryNumbers {

    private QueryNumbers() {
    }

    /**
     * A whole number from 1 to {@code max}, given at most once; a 400 problem naming the parameter otherwise
     * (read from the query itself: an empty {@code minutes=} is not the same as no {@code minutes}).
     */
    static int whole(ServerHttpRequest request, String name, int absent, int max) {
        List<String> values = request.getQueryParams().get(name);
        if (values == null) {
            return absent;
        }
        String text = values.isEmpty() || values.get(0) == null ? "" : values.get(0);
        if (values.size() > 1 || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)
                || Integer.parseInt(text) < 1 || Integer.parseInt(text) > max) {
            throw AdminInput.badRequest(name, name + " must be given once, as a whole number from 1 to " + max + ".");
        }
        return Integer.parseInt(text);
    }
}
