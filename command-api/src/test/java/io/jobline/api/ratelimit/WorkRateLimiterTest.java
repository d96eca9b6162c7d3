package io.jobline.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.security.Caller;

/** The buckets' memory: bounded, and a bucket idle for a full refill is dropped (a new one would be the same). */
class WorkRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void aBucketIdleForAFullRefillIsDroppedAndOneInUseIsKept() {
        // capacity 10 at 5 per second: an empty bucket is full again after 2 s
        WorkRateLimiter limiter = new WorkRateLimiter(new RateLimitProperties(10, 5, 1000), nanos::get);
        limiter.take(caller("idle")).block();
        limiter.take(caller("busy")).block();
        assertThat(limiter.buckets()).isEqualTo(2);

        advance(Duration.ofMillis(1500));
        limiter.take(caller("busy")).block();
        advance(Duration.ofMillis(1000));
        assertThat(limiter.buckets()).as("idle for 2.5 s: gone; busy: used 1 s ago").isEqualTo(1);

        advance(Duration.ofSeconds(2));
        assertThat(limiter.buckets()).isZero();
    }

    @Test
    void theNumberOfBucketsIsBounded() {
        WorkRateLimiter limiter = new WorkRateLimiter(new RateLimitProperties(10, 5, 50), nanos::get);
        for (int i = 0; i < 500; i++) {
            limiter.take(caller("owner-" + i)).block();
        }
        assertThat(limiter.buckets()).isLessThanOrEqualTo(50);
    }

    @Test
    void overTheLimitIsA429WithTheWaitForTheNextToken() {
        WorkRateLimiter limiter = new WorkRateLimiter(new RateLimitProperties(2, 1, 10));
        limiter.take(caller("a")).block();
        limiter.take(caller("a")).block();
        ApiProblemException refused = catchThrowableOfType(ApiProblemException.class,
                () -> limiter.take(caller("a")).block());
        assertThat(refused.status().value()).isEqualTo(429);
        assertThat(refused.type()).hasToString("https://jobline.io/problems/rate-limited");
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        limiter.take(caller("b")).block(); // another principal has its own bucket
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    private static Caller caller(String owner) {
        return new Caller(owner, Set.of("user"));
    }
}
