package io.jobline.processor.events;

import java.time.Instant;
import java.util.List;

import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobOutput;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.Progress;

/** Builds the records of {@code jobline.events}. */
public final class JobEvents {

    private JobEvents() {
    }

    public static JobEvent started(String jobId, int attempt, Instant startedAt, String worker) {
        return wrap(jobId, JobStarted.newBuilder()
                .setJobId(jobId).setAttempt(attempt).setStartedAt(startedAt).setWorker(worker).build());
    }

    public static JobEvent completed(String jobId, int attempt, Instant startedAt, Instant finishedAt) {
        return completed(jobId, attempt, startedAt, finishedAt, List.of());
    }

    public static JobEvent completed(String jobId, int attempt, Instant startedAt, Instant finishedAt,
            List<JobOutput> outputs) {
        return wrap(jobId, JobCompleted.newBuilder()
                .setJobId(jobId).setAttempt(attempt).setStartedAt(startedAt).setFinishedAt(finishedAt)
                .setOutputs(outputs).build());
    }

    /** @param startedAt null when the attempt never started */
    public static JobEvent failed(String jobId, int attempt, Instant startedAt, Instant finishedAt,
            FailureKind kind, String reason, Integer exitCode) {
        return failed(jobId, attempt, startedAt, finishedAt, kind, reason, exitCode, List.of());
    }

    /** @param startedAt null when the attempt never started */
    public static JobEvent failed(String jobId, int attempt, Instant startedAt, Instant finishedAt,
            FailureKind kind, String reason, Integer exitCode, List<String> logTail) {
        Failure failure = Failure.newBuilder().setKind(kind).setReason(reason).setExitCode(exitCode)
                .setLogTail(logTail).build();
        return wrap(jobId, JobFailed.newBuilder()
                .setJobId(jobId).setAttempt(attempt).setStartedAt(startedAt).setFinishedAt(finishedAt)
                .setFailure(failure).build());
    }

    /** @param startedAt null when the job was cancelled before it started */
    public static JobEvent cancelled(String jobId, int attempt, Instant startedAt, Instant cancelledAt,
            String requestedBy, List<String> logTail) {
        return wrap(jobId, JobCancelled.newBuilder()
                .setJobId(jobId).setAttempt(attempt).setStartedAt(startedAt).setCancelledAt(cancelledAt)
                .setRequestedBy(requestedBy).setLogTail(logTail).build());
    }

    public static JobEvent progress(String jobId, int attempt, int done, int total, Instant at) {
        return wrap(jobId, JobProgress.newBuilder().setJobId(jobId).setAttempt(attempt)
                .setProgress(Progress.newBuilder().setDone(done).setTotal(total).build()).setAt(at).build());
    }

    public static JobEvent heartbeat(String jobId, int attempt, String worker, Instant at) {
        return wrap(jobId, JobHeartbeat.newBuilder().setJobId(jobId).setAttempt(attempt).setWorker(worker).setAt(at)
                .build());
    }

    private static JobEvent wrap(String jobId, Object event) {
        return JobEvent.newBuilder().setJobId(jobId).setEvent(event).build();
    }
}
