package io.jobline.processor.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.processor.events.JobEvents;
import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Outcome;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobEvent;

/** Builds the one terminal event of an attempt: {@code JobCompleted}, or {@code JobFailed} saying why. */
final class TerminalEvents {

    private static final Logger log = LoggerFactory.getLogger(TerminalEvents.class);

    private TerminalEvents() {
    }

    /**
     * The event for a run whose future completed: with the pipeline's outcome, or with a failure of its own (the
     * pipeline threw, was cancelled, or gave no outcome), which is a {@code SYSTEM} failure.
     */
    static JobEvent runEnded(RunningJob runningJob, Outcome outcome, Throwable failure, Instant finishedAt) {
        JobSpec job = runningJob.job;
        if (failure == null && outcome instanceof Outcome.Succeeded) {
            return JobEvents.completed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt);
        }
        if (failure == null && outcome instanceof Outcome.Failed failed) {
            return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, failed.kind(),
                    failed.reason(), failed.exitCode());
        }
        return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, FailureKind.SYSTEM,
                systemFailureReason(job, unwrap(failure)), null);
    }

    /** The event for a job this worker gave up at shutdown, still running when the grace elapsed. */
    static JobEvent workerLost(RunningJob runningJob, String workerId, Duration shutdownGrace, Instant finishedAt) {
        JobSpec job = runningJob.job;
        return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, FailureKind.WORKER_LOST,
                "worker " + workerId + " shut down before the job finished (shutdown grace " + shutdownGrace
                        + " elapsed)",
                null);
    }

    private static String systemFailureReason(JobSpec job, Throwable cause) {
        if (cause == null) {
            return "the " + job.workflow() + " pipeline ended without an outcome";
        }
        if (cause instanceof CancellationException) {
            return "the " + job.workflow() + " pipeline run was cancelled";
        }
        log.error("job {}: the {} pipeline failed unexpectedly", job.jobId(), job.workflow(), cause);
        return "the " + job.workflow() + " pipeline failed unexpectedly: " + cause;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
