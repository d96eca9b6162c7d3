package io.jobline.api.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<String, Object> properties;

    protected ApiProblemException(HttpStatus status, String title, String detail, List<FieldError> errors,
            Duration retryAfter, Throwable cause) {
        this(status, title, detail, errors, retryAfter, Map.of(), cause);
    }

    private ApiProblemException(HttpStatus status, String title, String detail, List<FieldError> errors,
            Duration retryAfter, Map<String, Object> properties, Throwable cause) {
        super(detail, cause, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
        this.properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
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

    /**
     * 409: the job is in a state that does not allow the request; {@code properties} become extension members of
     * the problem body (e.g. {@code jobStatus}).
     */
    public static ApiProblemException conflict(String detail, Map<String, Object> properties) {
        return new ApiProblemException(HttpStatus.CONFLICT, "Conflict", detail, List.of(), null, properties, null);
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

    /** Extension members of the problem body, beside {@code field} and {@code errors}. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** The delay to announce in {@code Retry-After}, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
