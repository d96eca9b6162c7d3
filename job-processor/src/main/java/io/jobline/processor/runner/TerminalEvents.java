package io.jobline.processor.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.processor.events.JobEvents;
import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Outcome;
import io.jobline.processor.pipeline.OutputFile;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobOutput;

/** Builds the one terminal event of an attempt: {@code JobCompleted}, or {@code JobFailed} saying why. */
final class TerminalEvents {

    private static final Logger log = LoggerFactory.getLogger(TerminalEvents.class);

    private TerminalEvents() {
    }

    /**
     * The event for a run whose outcome is known: the pipeline's outcome, or a failure of its own (the pipeline threw
     * or gave no outcome), which is a {@code SYSTEM} failure. A stopped run ends as its stop reason says; null when
     * it needs no event (a newer attempt superseded it).
     */
    static JobEvent runEnded(RunningJob runningJob, Outcome outcome, Throwable failure, String workerId,
            Instant finishedAt) {
        JobSpec job = runningJob.job;
        if (failure == null && outcome instanceof Outcome.Succeeded succeeded) {
            return JobEvents.completed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt,
                    succeeded.outputs().stream().map(TerminalEvents::output).toList());
        }
        if (failure == null && outcome instanceof Outcome.Failed failed) {
            return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, failed.kind(),
                    failed.reason(), failed.exitCode(), failed.logTail());
        }
        if (failure == null && outcome instanceof Outcome.Stopped stopped) {
            return stopped(runningJob, runningJob.stopReason(), stopped.logTail(), workerId, finishedAt);
        }
        return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, FailureKind.SYSTEM,
                systemFailureReason(job, unwrap(failure)), null);
    }

    private static JobEvent stopped(RunningJob runningJob, StopReason reason, List<String> logTail, String workerId,
            Instant finishedAt) {
        JobSpec job = runningJob.job;
        if (reason instanceof StopReason.Cancelled cancelled) {
            return JobEvents.cancelled(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt,
                    cancelled.requestedBy(), logTail);
        }
        if (reason instanceof StopReason.TimedOut timedOut) {
            return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, FailureKind.TIMEOUT,
                    "the run took longer than the " + timedOut.maxRunTime() + " that workflow " + job.workflow()
                            + " may run, and was stopped",
                    null, logTail);
        }
        if (reason instanceof StopReason.ShuttingDown shuttingDown) {
            return workerLost(runningJob, workerId, shuttingDown.shutdownGrace(), finishedAt);
        }
        if (reason instanceof StopReason.Superseded) {
            return null;
        }
        return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, FailureKind.SYSTEM,
                "the " + job.workflow() + " pipeline stopped the run by itself", null, logTail);
    }

    /** The event for a job this worker gave up at shutdown, still running when the grace elapsed. */
    static JobEvent workerLost(RunningJob runningJob, String workerId, Duration shutdownGrace, Instant finishedAt) {
        JobSpec job = runningJob.job;
        return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, FailureKind.WORKER_LOST,
                "worker " + workerId + " shut down before the job finished (shutdown grace " + shutdownGrace
                        + " elapsed)",
                null);
    }

    private static JobOutput output(OutputFile file) {
        return JobOutput.newBuilder().setPath(file.path()).setSizeBytes(file.sizeBytes()).build();
    }

    private static String systemFailureReason(JobSpec job, Throwable cause) {
        if (cause == null) {
            return "the " + job.workflow() + " pipeline ended without an outcome";
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
