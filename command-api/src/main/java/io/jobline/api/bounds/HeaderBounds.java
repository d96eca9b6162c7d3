package io.jobline.api.bounds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.ProblemWebExceptionHandler;
import io.jobline.api.submit.IdempotencyKeys;
import reactor.core.publisher.Mono;

/**
 * Bounds on the request headers the API reads, checked before anything else reads them (right after Spring
 * Security's firewall has refused control characters, before authentication): each at most {@link #MAX_LENGTHS}
 * characters, the single-valued ones at most once; else 400 naming the header. The credentials' headers are bounded
 * where they are read, answering 401 ({@code X-API-Key}: 256, {@code Authorization}: 8192 characters). All headers
 * together are bounded by the server ({@code server.max-http-request-header-size}, 431).
 */
public final class HeaderBounds implements WebFilter {

    private static final String IDEMPOTENCY_KEY = IdempotencyKeys.HEADER;
    /** The header of the SSE streams' cursors. */
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    /** The longest value of each header the API reads. */
    public static final Map<String, Integer> MAX_LENGTHS = maxLengths();
    /** Headers that may come once only. */
    public static final Set<String> SINGLE = Set.of(HttpHeaders.CONTENT_TYPE, IDEMPOTENCY_KEY, LAST_EVENT_ID);

    private final ProblemWebExceptionHandler problems;

    public HeaderBounds(ProblemWebExceptionHandler problems) {
        this.problems = problems;
    }

    private static Map<String, Integer> maxLengths() {
        Map<String, Integer> lengths = new LinkedHashMap<>();
        lengths.put(HttpHeaders.ACCEPT, 1024);
        lengths.put(HttpHeaders.CONTENT_TYPE, 256);
        lengths.put(IDEMPOTENCY_KEY, IdempotencyKeys.MAX_LENGTH);
        // a /jobs/stream cursor names every partition of jobline.job-status: ~13 characters each
        lengths.put(LAST_EVENT_ID, 8192);
        return java.util.Collections.unmodifiableMap(lengths);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ApiProblemException problem = check(exchange.getRequest().getHeaders());
        return problem == null ? chain.filter(exchange) : problems.handle(exchange, problem);
    }

    /** The 400 of the first header out of bounds, or null. */
    static ApiProblemException check(HttpHeaders headers) {
        for (Map.Entry<String, Integer> bound : MAX_LENGTHS.entrySet()) {
            List<String> values = headers.get(bound.getKey());
            if (values == null || values.isEmpty()) {
                continue;
            }
            if (values.size() > 1 && SINGLE.contains(bound.getKey())) {
                return ApiProblemException.invalid(bound.getKey(), "must be sent once");
            }
            int length = values.stream().mapToInt(String::length).sum();
            if (length > bound.getValue()) {
                return ApiProblemException.invalid(bound.getKey(),
                        "must be at most " + bound.getValue() + " characters, got " + length);
            }
        }
        return null;
    }
}
