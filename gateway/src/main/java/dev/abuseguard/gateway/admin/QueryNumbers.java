package dev.abuseguard.gateway.admin;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponseException;

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
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    name + " must be given once, as a whole number from 1 to " + max + ".");
            problem.setType(URI.create("urn:abuse-guard:problem:bad-request"));
            problem.setTitle("Bad request");
            problem.setProperty("field", name);
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
        }
        return Integer.parseInt(text);
    }
}
