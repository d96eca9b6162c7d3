package io.jobline.api.problem;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Shared helpers for building problem bodies and headers, so every error of the API has the same shape. */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(ApiProblemException problem, String path) {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        detail.setTitle(problem.title());
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
