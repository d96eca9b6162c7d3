package io.jobline.api.problem;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Shared helpers for building problem bodies and headers, so every error of the API has the same shape. */
public final class Problems {

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private Problems() {
    }

    public static ProblemDetail of(ApiProblemException problem, String path) {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        detail.setTitle(problem.title());
        detail.setType(problem.type());
        if (path != null) {
            detail.setInstance(URI.create(path));
        }
        problem.properties().forEach(detail::setProperty);
        List<FieldError> errors = problem.errors();
        if (!errors.isEmpty()) {
            detail.setProperty("field", errors.get(0).field());
            detail.setProperty("errors", errors);
        }
        return detail;
    }

    /**
     * Completes a problem the framework made (no route, 405, 406, 415, 413, a bad request value): the type of its
     * status instead of {@code about:blank}, and for 406 and 415 the header at fault as {@code field}.
     */
    public static ProblemDetail complete(ProblemDetail problem) {
        if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
            problem.setType(ProblemType.of(problem.getStatus()).uri());
        }
        String field = switch (problem.getStatus()) {
            case 406 -> HttpHeaders.ACCEPT;
            case 413 -> "body";
            case 415 -> HttpHeaders.CONTENT_TYPE;
            default -> null;
        };
        Map<String, Object> properties = problem.getProperties();
        if (field != null && (properties == null || !properties.containsKey("field"))) {
            problem.setProperty("field", field);
        }
        return problem;
    }

    /** Retry-After in whole seconds (at least 1). */
    public static void retryAfter(HttpHeaders headers, Duration delay) {
        if (delay != null) {
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, (delay.toMillis() + 999) / 1000)));
        }
    }

    /** A generic title for a status, used where the framework gave none. */
    public static String title(HttpStatusCode status) {
        if (status instanceof org.springframework.http.HttpStatus known) {
            return known.getReasonPhrase();
        }
        return status.is5xxServerError() ? "Server error" : "Error";
    }
}
