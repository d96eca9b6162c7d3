package io.jobline.api.ratelimit;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.security.Caller;
import reactor.core.publisher.Mono;

/**
 * The rate limit of work-creating requests: a Bucket4j token bucket per owner ({@link RateLimitProperties}), in this
 * instance's memory. A request takes one token or is refused with 429 and {@code Retry-After} (whole seconds until
 * the next token, at least 1). The limit is per instance: behind a load balancer spreading requests over n
 * instances a principal gets up to n times the rate.
 *
 * <p>Buckets live in a bounded cache that drops a bucket once it has been idle for a full refill (it would be full
 * again, so a new one is the same).
 */
@Component
public class WorkRateLimiter {

    private final RateLimitProperties properties;
    private final Bandwidth limit;
    private final Cache<String, Bucket> buckets;

    @Autowired
    public WorkRateLimiter(RateLimitProperties properties) {
        this(properties, Ticker.systemTicker());
    }

    /** With the clock that ages buckets in the cache (the buckets' own refill always follows the system clock). */
    WorkRateLimiter(RateLimitProperties properties, Ticker ticker) {
        this.properties = properties;
        this.limit = Bandwidth.builder()
                .capacity(properties.capacity())
                .refillGreedy(properties.refillPerSecond(), Duration.ofSeconds(1))
                .build();
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(properties.fullRefill())
                .maximumSize(properties.maxPrincipals())
                .executor(Runnable::run)
                .ticker(ticker)
                .build();
    }

    /** Completes empty when {@code caller} may send this request now, else fails with a 429 problem. */
    public Mono<Void> take(Caller caller) {
        return Mono.defer(() -> {
            Bucket bucket = buckets.get(caller.owner(), owner -> Bucket.builder().addLimit(limit).build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return Mono.empty();
            }
            Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
            return Mono.error(ApiProblemException.rateLimited("Too many requests that create work: at most "
                    + properties.capacity() + " at once and " + properties.refillPerSecond()
                    + " per second after that. Retry after the time in Retry-After.", wait));
        });
    }

    /** How many principals have a bucket now (for tests and metrics). */
    long buckets() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
