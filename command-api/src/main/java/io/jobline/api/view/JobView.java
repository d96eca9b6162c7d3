package io.jobline.api.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON view of a job, the same shape the status-projection's internal API answers with. Absent values are
 * written as JSON {@code null}, never omitted; {@code outputs} is {@code []} until the job completed. {@code status}
 * and {@code failure.kind} are kept as strings, so a status a newer projection knows passes through unchanged.
 * {@code version} counts the changes the projection applied to the view (1 once submitted); a projection older
 * than it leaves it out, which reads as 0.
 *
 * <p>The factory and {@code with...} methods build the view the projection will show once it has folded a command
 * the API just wrote, so that a {@code 202} answers with what a {@code GET} shows next.
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
        Instant updatedAt,
        ProgressView progress,
        List<OutputView> outputs,
        Instant lastHeartbeatAt,
        Instant cancelRequestedAt,
        String cancelRequestedBy,
        Long version) {

    public JobView {
        // a projection older than these fields leaves them out
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        version = version == null ? 0L : version;
    }

    /** The view of a job just submitted: PENDING, attempt 0, version 1. */
    public static JobView submitted(String id, String owner, String workflow, Map<String, String> parameters,
            Instant at) {
        return new JobView(id, owner, workflow, parameters, "PENDING", 0, at, null, null, null, null, at,
                null, List.of(), null, null, null, 1L);
    }

    /** This job once a cancel request of {@code by} at {@code at} is folded: CANCELLING, one version later. */
    public JobView withCancelRequested(String by, Instant at) {
        return new JobView(id, owner, workflow, parameters, "CANCELLING", attempt, submittedAt, startedAt, finishedAt,
                failure, worker, at, progress, outputs, lastHeartbeatAt, at, by, version + 1);
    }

    /**
     * This job once a retry as {@code newAttempt} is folded: PENDING again, with nothing of the previous attempt,
     * one version later.
     */
    public JobView withRetryRequested(int newAttempt, Instant at) {
        return new JobView(id, owner, workflow, parameters, "PENDING", newAttempt, submittedAt, null, null, null, null,
                at, null, List.of(), null, null, null, version + 1);
    }

    /** How a failed attempt failed: {@code {"kind":"PIPELINE","reason":"...","exitCode":1,"logTail":["..."]}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FailureView(String kind, String reason, Integer exitCode, List<String> logTail) {

        public FailureView {
            logTail = logTail == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(logTail));
        }
    }

    /** How far the current attempt is: {@code {"done":3,"total":7}} steps. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProgressView(int done, int total) {
    }

    /** A final output of a completed attempt, relative to its working directory. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OutputView(String path, long sizeBytes) {
    }
}
