package io.jobline.api.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import io.jobline.schemas.JobStatus;

/**
 * The filters of {@code GET /jobs}, all optional and combined: a status, a workflow, and a range of submission
 * times ({@code submittedAfter} inclusive, {@code submittedBefore} exclusive, whole milliseconds like the job ids'
 * timestamps).
 */
public record ListFilters(JobStatus status, String workflow, Instant submittedAfter, Instant submittedBefore) {

    public static final ListFilters NONE = new ListFilters(null, null, null, null);

    /**
     * A short digest of the filters, carried in page tokens so that a token is only accepted with the filters of the
     * listing it came from. Equal filters give equal fingerprints however they were spelt in the query.
     */
    public String fingerprint() {
        // the separator cannot occur in a value: workflow names hold no control characters, the rest are printed here
        String canonical = String.join("\u0000",
                status == null ? "" : status.name(),
                workflow == null ? "" : workflow,
                submittedAfter == null ? "" : submittedAfter.toString(),
                submittedBefore == null ? "" : submittedBefore.toString());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
