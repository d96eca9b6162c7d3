package io.jobline.api.problem;

import java.net.URI;
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

    private final ProblemType type;
    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;
    private final Duration retryAfter;
    private final Map<String, Object> properties;

    private ApiProblemException(ProblemType type, HttpStatus status, String title, String detail, List<FieldError> errors,
            Duration retryAfter, Map<String, Object> properties, Throwable cause) {
        super(detail, cause, false, false);
        this.type = type;
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
        return new ApiProblemException(ProblemType.INVALID_REQUEST, HttpStatus.BAD_REQUEST, "Invalid request", detail,
                errors, null, Map.of(), null);
    }

    public static ApiProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    /** 404: there is no such job. */
    public static ApiProblemException notFound(String detail) {
        return new ApiProblemException(ProblemType.NOT_FOUND, HttpStatus.NOT_FOUND, "Not found", detail, List.of(), null,
                Map.of(), null);
    }

    /**
     * 409: the job is in a state that does not allow the request; {@code properties} become extension members of
     * the problem body (e.g. {@code jobStatus}).
     */
    public static ApiProblemException conflict(String detail, Map<String, Object> properties) {
        return new ApiProblemException(ProblemType.CONFLICT, HttpStatus.CONFLICT, "Conflict", detail, List.of(), null,
                properties, null);
    }

    /**
     * 401: the request carries no credentials, or {@code field} (the header {@code X-API-Key} or
     * {@code Authorization}) holds one that is not accepted, for the reason {@code message}.
     */
    public static ApiProblemException unauthenticated(String field, String message) {
        return unauthenticated(List.of(new FieldError(field, message)), field + ": " + message);
    }

    /** 401 naming several headers (the first is "the" field), e.g. when no credentials came at all. */
    public static ApiProblemException unauthenticated(List<FieldError> errors, String detail) {
        return new ApiProblemException(ProblemType.UNAUTHENTICATED, HttpStatus.UNAUTHORIZED, "Unauthenticated", detail, errors,
                null, Map.of(), null);
    }

    /** 403: the caller is known but may not do this. */
    public static ApiProblemException forbidden(String detail) {
        return new ApiProblemException(ProblemType.FORBIDDEN, HttpStatus.FORBIDDEN, "Forbidden", detail, List.of(), null, Map.of(),
                null);
    }

    /** 429: the caller sent more work than its rate limit lets through; the next token comes after {@code retryAfter}. */
    public static ApiProblemException rateLimited(String detail, Duration retryAfter) {
        return new ApiProblemException(ProblemType.RATE_LIMITED, HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail,
                List.of(), retryAfter, Map.of(), null);
    }

    /** 422: an {@code Idempotency-Key} that already stands for another request. */
    public static ApiProblemException idempotencyKeyReused(String field, String message) {
        return new ApiProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, HttpStatus.UNPROCESSABLE_CONTENT,
                "Idempotency key reused", field + ": " + message, List.of(new FieldError(field, message)), null,
                Map.of(), null);
    }

    /** 503: a dependency (Kafka, the projection) did not answer in time; the client may retry after {@code retryAfter}. */
    public static ApiProblemException unavailable(String detail, Duration retryAfter, Throwable cause) {
        return new ApiProblemException(ProblemType.UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                detail, List.of(), retryAfter, Map.of(), cause);
    }

    /**
     * 413: {@code field} (the body) is larger than the API reads; {@code message} says how large it may be.
     */
    public static ApiProblemException payloadTooLarge(String field, String message) {
        return new ApiProblemException(ProblemType.PAYLOAD_TOO_LARGE, HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
                field + ": " + message, List.of(new FieldError(field, message)), null, Map.of(), null);
    }

    public ProblemType problemType() {
        return type;
    }

    /** The problem type's URI. */
    public URI type() {
        return type.uri();
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
