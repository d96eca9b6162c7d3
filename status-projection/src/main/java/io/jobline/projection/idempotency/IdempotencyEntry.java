package io.jobline.projection.idempotency;

import java.time.Instant;
import java.util.Objects;

import io.jobline.schemas.Idempotency;

/**
 * What an owner's Idempotency-Key points at: the job its first submission made, the fingerprint of that
 * request (null when the submission carried none), and when it was accepted (the submission's
 * {@code submittedAt}). It holds for {@link Idempotency#WINDOW} from then.
 */
public record IdempotencyEntry(String jobId, String fingerprint, Instant acceptedAt) {

    public IdempotencyEntry {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }

    /** Whether the key still points at the job at {@code time}: before {@code acceptedAt + WINDOW}. */
    public boolean holdsAt(Instant time) {
        return time.isBefore(acceptedAt.plus(Idempotency.WINDOW));
    }
}
