package io.jobline.api.ratelimit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The limit on work-creating requests ({@code POST /jobs}, {@code POST /jobs/{id}/retry}) of each principal,
 * {@code jobline.api.rate-limit.*}: a token bucket per owner, on each instance.
 *
 * @param capacity        the burst: requests a principal may send at once after being idle
 * @param refillPerSecond tokens added back per second, up to the capacity: the sustained rate
 * @param maxPrincipals   buckets kept at most; a bucket unused for as long as it takes to refill it completely is
 *                        full anyway and is dropped, so this bound is only reached by that many principals sending
 *                        work within one refill period
 */
@ConfigurationProperties("jobline.api.rate-limit")
public record RateLimitProperties(
        @DefaultValue("20") long capacity,
        @DefaultValue("5") long refillPerSecond,
        @DefaultValue("100000") long maxPrincipals) {

    public RateLimitProperties {
        if (capacity < 1) {
            throw new IllegalArgumentException("jobline.api.rate-limit.capacity must be at least 1");
        }
        if (refillPerSecond < 1) {
            throw new IllegalArgumentException("jobline.api.rate-limit.refill-per-second must be at least 1");
        }
        if (maxPrincipals < 1) {
            throw new IllegalArgumentException("jobline.api.rate-limit.max-principals must be at least 1");
        }
    }

    /** How long an empty bucket takes to fill up again; an idle bucket older than this is a full one. */
    public Duration fullRefill() {
        long millis = Math.max(1, (capacity * 1000 + refillPerSecond - 1) / refillPerSecond);
        return Duration.ofMillis(millis);
    }
}
