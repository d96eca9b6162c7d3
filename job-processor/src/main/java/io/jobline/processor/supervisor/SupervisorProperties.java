package io.jobline.processor.supervisor;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.jobline.schemas.FailureKind;

/**
 * The supervisor, {@code jobline.supervisor.*}: how lost workers are noticed and which failures are retried.
 *
 * @param lostAfter     a running attempt with no sign of life (start, progress, heartbeat) for this long is lost: it
 *                      ends {@code WORKER_LOST}; several {@code jobline.processor.heartbeat-interval}s
 * @param checkInterval how often running attempts are checked
 * @param maxAttempts   attempts a job gets in all, the first included, before a retryable failure is final
 * @param retryKinds    failures retried automatically; {@code PIPELINE} is not, unless listed
 * @param firstBackoff  wait before the first automatic retry; it doubles for each later attempt
 * @param maxBackoff    the longest wait before an automatic retry
 */
@ConfigurationProperties("jobline.supervisor")
public record SupervisorProperties(
        @DefaultValue("30s") Duration lostAfter,
        @DefaultValue("1s") Duration checkInterval,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue({"WORKER_LOST", "CANNOT_START", "TIMEOUT", "SYSTEM"}) Set<FailureKind> retryKinds,
        @DefaultValue("2s") Duration firstBackoff,
        @DefaultValue("1m") Duration maxBackoff) {

    public SupervisorProperties {
        requirePositive("lost-after", lostAfter);
        requirePositive("check-interval", checkInterval);
        requirePositive("first-backoff", firstBackoff);
        requirePositive("max-backoff", maxBackoff);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("jobline.supervisor.max-attempts must be at least 1, got " + maxAttempts);
        }
        retryKinds = retryKinds == null ? Set.of() : Set.copyOf(retryKinds);
    }

    /** The wait before starting the given attempt (2 or later) automatically. */
    Duration backoffBefore(int attempt) {
        Duration backoff = firstBackoff;
        for (int i = 2; i < attempt && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("jobline.supervisor." + name + " must be positive, got " + value);
        }
    }
}
