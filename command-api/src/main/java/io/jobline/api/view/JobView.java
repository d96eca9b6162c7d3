package io.jobline.api.view;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON view of a job, the same shape the status-projection's internal API answers with. Absent values are
 * written as JSON {@code null}, never omitted. {@code status} and {@code failure.kind} are kept as strings, so
 * a status a newer projection knows passes through unchanged.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobView(
        String id,
        String owner,
        String workflow,
        Map<String, String> parameters,
        String status,
        int attempt,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        FailureView failure,
        String worker,
        Instant updatedAt) {

    /** How a failed attempt failed: {@code {"kind":"PIPELINE","reason":"...","exitCode":1}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FailureView(String kind, String reason, Integer exitCode) {
    }
}
