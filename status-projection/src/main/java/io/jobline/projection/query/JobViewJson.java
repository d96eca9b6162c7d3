package io.jobline.projection.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jobline.schemas.Failure;
import io.jobline.schemas.JobOutput;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.Progress;

/**
 * The JSON of a job view, as served by the internal query API (and by command-api's public API). Absent
 * values are written as {@code null}; {@code outputs} is {@code []} until the job completed; {@code version}
 * counts the changes of the view (1 when it was created).
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
        Instant updatedAt,
        ProgressJson progress,
        List<OutputJson> outputs,
        Instant lastHeartbeatAt,
        Instant cancelRequestedAt,
        String cancelRequestedBy,
        long version) {

    public JobViewJson {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

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
                view.getUpdatedAt(),
                ProgressJson.of(view.getProgress()),
                view.getOutputs() == null ? List.of() : view.getOutputs().stream().map(OutputJson::of).toList(),
                view.getLastHeartbeatAt(),
                view.getCancelRequestedAt(),
                view.getCancelRequestedBy(),
                view.getVersion());
    }

    /**
     * Why an attempt failed. {@code exitCode} is null when the pipeline did not run to an exit; {@code logTail}
     * holds the last lines of its log, oldest first ({@code []} when it did not run).
     */
    public record FailureJson(String kind, String reason, Integer exitCode, List<String> logTail) {

        public FailureJson {
            logTail = logTail == null ? List.of() : List.copyOf(logTail);
        }

        static FailureJson of(Failure failure) {
            if (failure == null) {
                return null;
            }
            List<String> logTail = failure.getLogTail() == null ? List.of()
                    : failure.getLogTail().stream().map(CharSequence::toString).toList();
            return new FailureJson(failure.getKind().name(), failure.getReason(), failure.getExitCode(), logTail);
        }
    }

    /** Steps done of the attempt's total. */
    public record ProgressJson(int done, int total) {

        static ProgressJson of(Progress progress) {
            return progress == null ? null : new ProgressJson(progress.getDone(), progress.getTotal());
        }
    }

    /** A final output of the completed attempt, relative to its working directory. */
    public record OutputJson(String path, long sizeBytes) {

        static OutputJson of(JobOutput output) {
            return new OutputJson(output.getPath(), output.getSizeBytes());
        }
    }
}
