package io.jobline.projection.query;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.jobline.projection.ProjectionProperties;

/**
 * The errors of the query API, as {@code application/problem+json}: a 400 names the parameter in
 * {@code field}; a 503 (no instance can answer now) carries {@code Retry-After}.
 */
@RestControllerAdvice
public class QueryProblems {

    private final ProjectionProperties properties;

    public QueryProblems(ProjectionProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(BadParameterException.class)
    public ResponseEntity<Object> badParameter(BadParameterException e, ServerHttpRequest request) {
        ProblemDetail body = body(HttpStatus.BAD_REQUEST, "Bad query parameter", e.getMessage(), request);
        body.setProperty("field", e.field());
        return ResponseEntity.badRequest().body(body);
    }

    @ExceptionHandler(StoresUnavailableException.class)
    public ResponseEntity<Object> unavailable(StoresUnavailableException e, ServerHttpRequest request) {
        long seconds = Math.max(1, (properties.retryAfter().toMillis() + 999) / 1000);
        ProblemDetail body = body(HttpStatus.SERVICE_UNAVAILABLE, "Job views not available",
                "The job views cannot be read right now: " + e.getMessage() + ". Try again shortly.", request);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", Long.toString(seconds))
                .body(body);
    }

    static ResponseEntity<Object> notFound(String title, String detail, ServerHttpRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(body(HttpStatus.NOT_FOUND, title, detail, request));
    }

    private static ProblemDetail body(HttpStatus status, String title, String detail, ServerHttpRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getPath().value()));
        return problem;
    }
}
