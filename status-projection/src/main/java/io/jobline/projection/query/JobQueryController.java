package io.jobline.projection.query;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.projection.ProjectionProperties;
import io.jobline.schemas.JobStatus;
import reactor.core.publisher.Mono;

/**
 * The internal query API: {@code GET /internal/jobs/{id}}, {@code GET /internal/jobs/{id}/logs?attempt&tail}
 * and {@code GET /internal/jobs?status&limit&after}. Errors are {@code application/problem+json}; 503 carries
 * {@code Retry-After}.
 */
@RestController
@RequestMapping("/internal/jobs")
public class JobQueryController {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The most log lines one answer holds, and the default {@code tail}. */
    public static final int MAX_LOG_LINES = 10_000;

    private final JobQueryService queries;
    private final ProjectionProperties properties;

    public JobQueryController(JobQueryService queries, ProjectionProperties properties) {
        this.queries = queries;
        this.properties = properties;
    }

    @GetMapping("/{id}")
    public Mono<ResponseEntity<Object>> get(@PathVariable String id,
            @RequestParam(name = "local", defaultValue = "false") boolean local, ServerHttpRequest request) {
        return queries.get(id, local).map(found -> found
                .<ResponseEntity<Object>>map(view -> ResponseEntity.ok(view))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "Job not found", "There is no job " + id + ".", request)));
    }

    @GetMapping("/{id}/logs")
    public Mono<ResponseEntity<Object>> logs(@PathVariable String id,
            @RequestParam(name = "attempt", required = false) String attempt,
            @RequestParam(name = "tail", required = false) String tail,
            @RequestParam(name = "local", defaultValue = "false") boolean local, ServerHttpRequest request) {
        Integer attemptNumber = null;
        if (attempt != null) {
            attemptNumber = wholeNumber(attempt, 1, Integer.MAX_VALUE);
            if (attemptNumber == null) {
                return Mono.just(badRequest("attempt must be a whole number of at least 1", request));
            }
        }
        int lines = MAX_LOG_LINES;
        if (tail != null) {
            Integer tailLines = wholeNumber(tail, 1, MAX_LOG_LINES);
            if (tailLines == null) {
                return Mono.just(badRequest("tail must be a whole number from 1 to " + MAX_LOG_LINES, request));
            }
            lines = tailLines;
        }
        return queries.logs(id, attemptNumber, lines, local).map(found -> found
                .<ResponseEntity<Object>>map(logs -> ResponseEntity.ok(logs))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "Job not found", "There is no job " + id + ".", request)));
    }

    @GetMapping
    public Mono<ResponseEntity<Object>> list(@RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "limit", required = false) String limit,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "local", defaultValue = "false") boolean local, ServerHttpRequest request) {
        JobStatus statusFilter = null;
        if (status != null) {
            try {
                statusFilter = JobStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Mono.just(badRequest("status must be one of " + Arrays.toString(JobStatus.values()), request));
            }
        }
        int pageSize = properties.defaultPageSize();
        if (limit != null) {
            try {
                pageSize = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                return Mono.just(badRequest("limit must be a whole number from 1 to " + properties.maxPageSize(), request));
            }
            if (pageSize < 1 || pageSize > properties.maxPageSize()) {
                return Mono.just(badRequest("limit must be from 1 to " + properties.maxPageSize(), request));
            }
        }
        String cursor = null;
        if (after != null) {
            cursor = after.trim().toLowerCase(Locale.ROOT);
            if (!UUID_TEXT.matcher(cursor).matches()) {
                return Mono.just(badRequest("after must be a job id", request));
            }
        }
        return queries.list(statusFilter, cursor, pageSize, local)
                .map(page -> ResponseEntity.ok((Object) JobPageJson.of(page)));
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

    /** The number {@code text} holds if it is a whole number in {@code [min, max]}, else null. */
    private static Integer wholeNumber(String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.trim());
            return value >= min && value <= max ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ResponseEntity<Object> badRequest(String detail, ServerHttpRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "Bad query parameter", detail, request);
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String title, String detail, ServerHttpRequest request) {
        return ResponseEntity.status(status).body(body(status, title, detail, request));
    }

    private static ProblemDetail body(HttpStatus status, String title, String detail, ServerHttpRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getPath().value()));
        return problem;
    }
}
