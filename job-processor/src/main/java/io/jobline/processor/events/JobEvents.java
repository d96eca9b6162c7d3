package io.jobline.processor.events;

import java.time.Instant;

import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobStarted;

/** Builds the records of {@code jobline.events}. */
public final class JobEvents {

    private JobEvents() {
    }

    public static JobEvent started(String jobId, int attempt, Instant startedAt, String worker) {
        return wrap(jobId, JobStarted.newBuilder()
                .setJobId(jobId).setAttempt(attempt).setStartedAt(startedAt).setWorker(worker).build());
    }

    public static JobEvent completed(String jobId, int attempt, Instant startedAt, Instant finishedAt) {
        return wrap(jobId, JobCompleted.newBuilder()
                .setJobId(jobId).setAttempt(attempt).setStartedAt(startedAt).setFinishedAt(finishedAt).build());
    }

    /** @param startedAt null when the attempt never started */
    public static JobEvent failed(String jobId, int attempt, Instant startedAt, Instant finishedAt,
            FailureKind kind, String reason, Integer exitCode) {
        Failure failure = Failure.newBuilder().setKind(kind).setReason(reason).setExitCode(exitCode).build();
        return wrap(jobId, JobFailed.newBuilder()
                .setJobId(jobId).setAttempt(attempt).setStartedAt(startedAt).setFinishedAt(finishedAt)
                .setFailure(failure).build());
    }

    private static JobEvent wrap(String jobId, Object event) {
        return JobEvent.newBuilder().setJobId(jobId).setEvent(event).build();
    }
}
