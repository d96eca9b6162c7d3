package io.jobline.api.query;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the projection knows of an owner's Idempotency-Key ({@code GET /internal/idempotency/{storeKey}}): the job
 * the first submission with it made, that submission's request fingerprint (null if it carried none: then no
 * request matches it) and when it was accepted.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IdempotencyEntry(String jobId, String fingerprint, Instant acceptedAt) {
}
