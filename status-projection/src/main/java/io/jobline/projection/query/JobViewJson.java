package io.jobline.projection.query;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.jobline.schemas.Failure;
import io.jobline.schemas.JobStatusView;

/**
 * The JSON of a job view, as served by the internal query API (and by command-api's public API). Absent
 * values are written as {@code null}.
 */
public record JobViewJson(
        String id,
        String owner,
        String workflow,
        Map<String, String> parameters,
        String status,
        int attempt,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        FailureJson failure,
        String worker,
        Instant updatedAt) {

    public static JobViewJson of(JobStatusView view) {
        return new JobViewJson(
                view.getJobId(),
                view.getOwner(),
                view.getWorkflow(),
                view.getParameters() == null ? Map.of() : new TreeMap<>(view.getParameters()),
                view.getStatus().name(),
                view.getAttempt(),
                view.getSubmittedAt(),
                view.getStartedAt(),
                view.getFinishedAt(),
                FailureJson.of(view.getFailure()),
                view.getWorker(),
                view.getUpdatedAt());
    }

    /** Why an attempt failed. {@code exitCode} is null when the pipeline did not run to an exit. */
    public record FailureJson(String kind, String reason, Integer exitCode) {

        static FailureJson of(Failure failure) {
            return failure == null ? null
                    : new FailureJson(failure.getKind().name(), failure.getReason(), failure.getExitCode());
        }
    }
}
