package io.jobline.projection.query;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * {@code GET /internal/idempotency/{storeKey}?waitMillis=0..10000}: the job an owner's idempotency key points
 * at ({@code storeKey} is {@code Idempotency.storeKey(owner, key)}, 64 lowercase hex digits), as
 * {@code {"jobId", "fingerprint", "acceptedAt"}}; 404 when no submission with the key has been folded within
 * the last 24 hours, once {@code waitMillis} has passed without one. {@code local} and {@code stale} as for
 * job reads.
 */
@RestController
public class IdempotencyController {

    /** The longest a lookup may wait for its key to appear. */
    public static final int MAX_WAIT_MILLIS = 10_000;

    private static final Pattern STORE_KEY = Pattern.compile("[0-9a-f]{64}");

    private final IdempotencyQueryService keys;

    public IdempotencyController(IdempotencyQueryService keys) {
        this.keys = keys;
    }

    @GetMapping("/internal/idempotency/{storeKey}")
    public Mono<ResponseEntity<Object>> get(@PathVariable String storeKey,
            @RequestParam(name = "waitMillis", required = false) String waitMillis,
            @RequestParam(name = "local", required = false) String local,
            @RequestParam(name = "stale", required = false) String stale, ServerHttpRequest request) {
        if (!STORE_KEY.matcher(storeKey).matches()) {
            throw new BadParameterException("storeKey", "must be 64 lowercase hex digits (the SHA-256 of owner and key)");
        }
        int wait = QueryParameters.wholeNumber("waitMillis", waitMillis, 0, MAX_WAIT_MILLIS, 0);
        return keys.find(storeKey, Duration.ofMillis(wait), QueryParameters.flag("local", local),
                        QueryParameters.flag("stale", stale))
                .map(found -> found
                        .<ResponseEntity<Object>>map(entry -> ResponseEntity.ok(entry))
                        .orElseGet(() -> QueryProblems.notFound("Idempotency key not found",
                                "No job was submitted with this idempotency key within the last 24 hours.", request)));
    }
}
