package io.jobline.projection.query;

import java.time.Instant;

import io.jobline.projection.idempotency.IdempotencyEntry;

/**
 * The JSON of {@code GET /internal/idempotency/{storeKey}}: the job the key's first submission made, that
 * request's fingerprint (null if it carried none), and when it was accepted.
 */
public record IdempotencyJson(String jobId, String fingerprint, Instant acceptedAt) {

    static IdempotencyJson of(IdempotencyEntry entry) {
        return new IdempotencyJson(entry.jobId(), entry.fingerprint(), entry.acceptedAt());
    }
}
