package io.jobline.api.feed;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jobline.api.view.JobView;
import io.jobline.api.view.JobView.FailureView;
import io.jobline.api.view.JobView.OutputView;
import io.jobline.api.view.JobView.ProgressView;
import io.jobline.schemas.Failure;
import io.jobline.schemas.JobStatusView;

/**
 * The public view of a record of {@code jobline.job-status}: the same JSON the projection's query API (and so
 * {@code GET /jobs/{id}}) answers with for the same view.
 */
final class JobViews {

    private JobViews() {
    }

    static JobView of(JobStatusView view) {
        return new JobView(
                view.getJobId(),
                view.getOwner(),
                view.getWorkflow(),
                view.getParameters() == null ? Map.of() : new TreeMap<>(view.getParameters()),
                view.getStatus().name(),
                view.getAttempt(),
                view.getSubmittedAt(),
                view.getStartedAt(),
                view.getFinishedAt(),
                failure(view.getFailure()),
                view.getWorker(),
                view.getUpdatedAt(),
                view.getProgress() == null ? null
                        : new ProgressView(view.getProgress().getDone(), view.getProgress().getTotal()),
                view.getOutputs() == null ? List.of()
                        : view.getOutputs().stream().map(out -> new OutputView(out.getPath(), out.getSizeBytes())).toList(),
                view.getLastHeartbeatAt(),
                view.getCancelRequestedAt(),
                view.getCancelRequestedBy(),
                view.getVersion());
    }

    private static FailureView failure(Failure failure) {
        if (failure == null) {
            return null;
        }
        return new FailureView(failure.getKind().name(), failure.getReason(), failure.getExitCode(),
                failure.getLogTail() == null ? List.of() : List.copyOf(failure.getLogTail()));
    }
}
