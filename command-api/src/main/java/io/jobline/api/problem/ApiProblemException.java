package io.jobline.api.problem;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * An answer other than success that the API gives on purpose; rendered by {@link ProblemExceptionHandler} as an
 * RFC 9457 {@code application/problem+json} body. Carries no stack trace: it is control flow, not a bug.
 */
public class ApiProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;
    private final Duration retryAfter;

    protected ApiProblemException(HttpStatus status, String title, String detail, List<FieldError> errors,
            Duration retryAfter, Throwable cause) {
        super(detail, cause, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    /** 400: the request breaks the rules listed in {@code errors}; the first one is "the" offending field. */
    public static ApiProblemException invalid(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid request names at least one field");
        }
        FieldError first = errors.get(0);
        String detail = errors.size() == 1
                ? first.field() + ": " + first.message()
                : first.field() + ": " + first.message() + " (and " + (errors.size() - 1) + " more)";
        return new ApiProblemException(HttpStatus.BAD_REQUEST, "Invalid request", detail, errors, null, null);
    }

    public static ApiProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    /** 404: there is no such job. */
    public static ApiProblemException notFound(String detail) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, "Not found", detail, List.of(), null, null);
    }

    /** 503: a dependency (Kafka, the projection) did not answer in time; the client may retry after {@code retryAfter}. */
    public static ApiProblemException unavailable(String detail, Duration retryAfter, Throwable cause) {
        return new ApiProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail, List.of(),
                retryAfter, cause);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The delay to announce in {@code Retry-After}, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
