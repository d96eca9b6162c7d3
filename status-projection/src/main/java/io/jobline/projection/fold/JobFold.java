package io.jobline.projection.fold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jobline.schemas.Failure;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobOutput;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Progress;

/**
 * Folds the commands and events of one job into its current {@link JobStatusView}. Pure: no I/O, no clock
 * (the time of the change is passed in), so the same records always give the same view.
 *
 * <p>Commands and events of a job arrive on two topics, so their relative order is not guaranteed. The fold
 * therefore:
 * <ul>
 * <li>creates a view from whichever record comes first (an event before the submission gives a view without
 * owner and workflow; the later {@code JobSubmitted} fills them in without touching the status);</li>
 * <li>never moves the status backwards within an attempt ({@code PENDING < RUNNING < CANCELLING <
 * COMPLETED | FAILED | CANCELLED}); the first terminal event of an attempt wins; a cancel request after
 * it changes nothing, except that a {@code JobCancelled} folded before its own request gets the request's
 * time;</li>
 * <li>starts afresh when an event or a retry of a later attempt arrives, and ignores events of earlier
 * attempts;</li>
 * <li>returns {@code current} itself when a record changes nothing (duplicates, stale events, unknown
 * types), so that the caller can tell "no change" by identity.</li>
 * </ul>
 * A view with attempt 0 (submitted, not started yet) is about attempt 1: events of attempt 1 belong to
 * it, so a cancel requested before the start is kept when the start or the cancellation arrives.
 *
 * <p>{@code version} counts the applied changes (1 for a new view); {@code updatedAt} is the time passed in,
 * which the projection takes from the record.
 */
public final class JobFold {

    /** The placeholder a view under construction carries until its real change time is set. */
    private static final Instant UNSET = Instant.EPOCH;

    /**
     * Applies one command or event ({@link JobCommand}, {@link JobEvent}, or one of their payloads) to the
     * current view of its job.
     *
     * @param current        the view so far, or {@code null} when nothing is known of the job
     * @param commandOrEvent the record to apply
     * @param now            the time of the record; becomes {@code updatedAt} if the view changes
     * @return the new view, or {@code current} itself when nothing changed
     */
    public JobStatusView apply(JobStatusView current, Object commandOrEvent, Instant now) {
        Objects.requireNonNull(now, "now");
        Object payload = unwrap(commandOrEvent);
        JobStatusView next;
        if (payload instanceof JobSubmitted submitted) {
            next = submitted(current, submitted);
        } else if (payload instanceof JobCancelRequested cancel) {
            next = cancelRequested(current, cancel);
        } else if (payload instanceof JobRetryRequested retry) {
            next = retryRequested(current, retry);
        } else if (payload instanceof JobStarted started) {
            next = started(current, started);
        } else if (payload instanceof JobProgress progress) {
            next = progress(current, progress);
        } else if (payload instanceof JobHeartbeat heartbeat) {
            next = heartbeat(current, heartbeat);
        } else if (payload instanceof JobCompleted completed) {
            next = completed(current, completed);
        } else if (payload instanceof JobFailed failed) {
            next = failed(current, failed);
        } else if (payload instanceof JobCancelled cancelled) {
            next = cancelled(current, cancelled);
        } else {
            return current; // a type this version does not know: nothing to apply
        }
        if (next == null || sameContent(current, next)) {
            return current;
        }
        next.setUpdatedAt(now);
        next.setVersion(current == null ? 1 : current.getVersion() + 1);
        return next;
    }

    /** The order of statuses within one attempt: a status is never replaced by one of a lower rank. */
    public static int rank(JobStatus status) {
        return switch (status) {
            case PENDING -> 0;
            case RUNNING -> 1;
            case CANCELLING -> 2;
            case COMPLETED, FAILED, CANCELLED -> 3;
        };
    }

    public static boolean isTerminal(JobStatus status) {
        return rank(status) == 3;
    }

    /**
     * The attempt a view is about: its attempt, except that a job that has not ended any attempt yet
     * and shows attempt 0 is waiting for attempt 1.
     */
    static int currentAttempt(JobStatusView view) {
        return view.getAttempt() == 0 && !isTerminal(view.getStatus()) ? 1 : view.getAttempt();
    }

    private static Object unwrap(Object record) {
        if (record instanceof JobCommand command) {
            return command.getCommand();
        }
        if (record instanceof JobEvent event) {
            return event.getEvent();
        }
        return record;
    }

    private static JobStatusView submitted(JobStatusView current, JobSubmitted submitted) {
        if (current != null && current.getOwner() != null) {
            return null; // the submission is already known: a duplicate
        }
        JobStatusView next = copyOrNew(current, submitted.getJobId());
        next.setOwner(submitted.getOwner());
        next.setWorkflow(submitted.getWorkflow());
        next.setParameters(new HashMap<>(submitted.getParameters() == null ? Map.of() : submitted.getParameters()));
        next.setSubmittedAt(submitted.getSubmittedAt());
        return next; // the status stays where the events have already put it
    }

    private static JobStatusView cancelRequested(JobStatusView current, JobCancelRequested cancel) {
        JobStatusView next = copyOrNew(current, cancel.getJobId());
        JobStatus status = next.getStatus();
        if (status == JobStatus.PENDING || status == JobStatus.RUNNING) {
            next.setStatus(JobStatus.CANCELLING);
            next.setCancelRequestedAt(cancel.getRequestedAt());
            next.setCancelRequestedBy(cancel.getRequestedBy());
            return next;
        }
        if (status == JobStatus.CANCELLED && next.getCancelRequestedAt() == null) {
            // the cancellation came first through the events topic: this is the request behind it
            next.setCancelRequestedAt(cancel.getRequestedAt());
            if (next.getCancelRequestedBy() == null) {
                next.setCancelRequestedBy(cancel.getRequestedBy());
            }
            return next;
        }
        return null; // already cancelling, or ended otherwise: a cancel request changes nothing
    }

    /**
     * A retry of a later attempt. On a FAILED or CANCELLED job it makes the new attempt PENDING. On a job
     * that is still PENDING, RUNNING or CANCELLING it does too: a retry is only written once the previous
     * attempt has ended, so here its terminal event is still on its way through the events topic (and will
     * be ignored as stale). A COMPLETED job is never retried.
     */
    private static JobStatusView retryRequested(JobStatusView current, JobRetryRequested retry) {
        JobStatusView next = copyOrNew(current, retry.getJobId());
        if (retry.getAttempt() <= currentAttempt(next) || next.getStatus() == JobStatus.COMPLETED) {
            return null;
        }
        newAttempt(next, retry.getAttempt(), JobStatus.PENDING);
        return next;
    }

    private static JobStatusView started(JobStatusView current, JobStarted started) {
        JobStatusView next = copyOrNew(current, started.getJobId());
        int attempt = started.getAttempt();
        int currentAttempt = currentAttempt(next);
        if (attempt < currentAttempt) {
            return null; // an earlier attempt: stale
        }
        if (attempt > currentAttempt) {
            newAttempt(next, attempt, JobStatus.RUNNING);
            next.setStartedAt(started.getStartedAt());
            next.setWorker(started.getWorker());
            return next;
        }
        next.setAttempt(attempt);
        if (rank(next.getStatus()) < rank(JobStatus.RUNNING)) {
            next.setStatus(JobStatus.RUNNING);
        }
        // a cancel request or the attempt's terminal event may have come first: keep the status, complete the details
        if (next.getStartedAt() == null) {
            next.setStartedAt(started.getStartedAt());
        }
        if (next.getWorker() == null) {
            next.setWorker(started.getWorker());
        }
        return next;
    }

    private static JobStatusView progress(JobStatusView current, JobProgress progress) {
        JobStatusView next = runningAttempt(current, progress.getJobId(), progress.getAttempt());
        if (next == null) {
            return null;
        }
        Progress reported = progress.getProgress();
        next.setProgress(reported == null ? null : Progress.newBuilder(reported).build());
        heartbeatAt(next, progress.getAt());
        return next;
    }

    private static JobStatusView heartbeat(JobStatusView current, JobHeartbeat heartbeat) {
        JobStatusView next = runningAttempt(current, heartbeat.getJobId(), heartbeat.getAttempt());
        if (next == null) {
            return null;
        }
        heartbeatAt(next, heartbeat.getAt());
        if (next.getWorker() == null) {
            next.setWorker(heartbeat.getWorker());
        }
        return next;
    }

    /** A copy of the view to record a sign of life of {@code attempt} in, or null when it is not the running one. */
    private static JobStatusView runningAttempt(JobStatusView current, String jobId, int attempt) {
        JobStatusView next = copyOrNew(current, jobId);
        if (attempt != currentAttempt(next) || isTerminal(next.getStatus())) {
            return null;
        }
        next.setAttempt(attempt);
        return next;
    }

    private static void heartbeatAt(JobStatusView next, Instant at) {
        if (at != null && (next.getLastHeartbeatAt() == null || at.isAfter(next.getLastHeartbeatAt()))) {
            next.setLastHeartbeatAt(at);
        }
    }

    private static JobStatusView completed(JobStatusView current, JobCompleted completed) {
        JobStatusView next = copyOrNew(current, completed.getJobId());
        if (!enterTerminal(next, completed.getAttempt(), JobStatus.COMPLETED)) {
            return null;
        }
        finished(next, completed.getStartedAt(), completed.getFinishedAt());
        if (next.getOutputs().isEmpty() && completed.getOutputs() != null) {
            List<JobOutput> outputs = new ArrayList<>(completed.getOutputs().size());
            completed.getOutputs().forEach(output -> outputs.add(JobOutput.newBuilder(output).build()));
            next.setOutputs(outputs);
        }
        return next;
    }

    private static JobStatusView failed(JobStatusView current, JobFailed failed) {
        JobStatusView next = copyOrNew(current, failed.getJobId());
        if (!enterTerminal(next, failed.getAttempt(), JobStatus.FAILED)) {
            return null;
        }
        finished(next, failed.getStartedAt(), failed.getFinishedAt());
        if (next.getFailure() == null && failed.getFailure() != null) {
            next.setFailure(Failure.newBuilder(failed.getFailure()).build());
        }
        return next;
    }

    private static JobStatusView cancelled(JobStatusView current, JobCancelled cancelled) {
        JobStatusView next = copyOrNew(current, cancelled.getJobId());
        if (!enterTerminal(next, cancelled.getAttempt(), JobStatus.CANCELLED)) {
            return null;
        }
        finished(next, cancelled.getStartedAt(), cancelled.getCancelledAt());
        if (next.getCancelRequestedBy() == null) {
            next.setCancelRequestedBy(cancelled.getRequestedBy());
        }
        return next;
    }

    /** Completes the times of an ended attempt with those its terminal event carries. */
    private static void finished(JobStatusView next, Instant startedAt, Instant finishedAt) {
        if (next.getStartedAt() == null) {
            next.setStartedAt(startedAt);
        }
        if (next.getFinishedAt() == null) {
            next.setFinishedAt(finishedAt);
        }
    }

    /**
     * Moves {@code next} into the terminal {@code status} of {@code attempt} if the order allows it.
     *
     * @return false when the event must be ignored (an earlier attempt, or another terminal status of the
     *         same attempt came first)
     */
    private static boolean enterTerminal(JobStatusView next, int attempt, JobStatus status) {
        int currentAttempt = currentAttempt(next);
        if (attempt < currentAttempt) {
            return false;
        }
        if (attempt > currentAttempt) {
            newAttempt(next, attempt, status);
            return true;
        }
        next.setAttempt(attempt);
        if (isTerminal(next.getStatus())) {
            return next.getStatus() == status; // same status: a duplicate may still complete details
        }
        next.setStatus(status);
        return true;
    }

    /** Starts {@code attempt} in {@code status}, forgetting everything that belonged to the previous attempt. */
    private static void newAttempt(JobStatusView next, int attempt, JobStatus status) {
        next.setAttempt(attempt);
        next.setStatus(status);
        next.setStartedAt(null);
        next.setFinishedAt(null);
        next.setFailure(null);
        next.setWorker(null);
        next.setProgress(null);
        next.setOutputs(new ArrayList<>());
        next.setLastHeartbeatAt(null);
        next.setCancelRequestedAt(null);
        next.setCancelRequestedBy(null);
    }

    private static JobStatusView copyOrNew(JobStatusView current, String jobId) {
        if (current != null) {
            return JobStatusView.newBuilder(current).build();
        }
        return JobStatusView.newBuilder()
                .setJobId(jobId)
                .setOwner(null)
                .setWorkflow(null)
                .setParameters(new HashMap<>())
                .setStatus(JobStatus.PENDING)
                .setAttempt(0)
                .setSubmittedAt(null)
                .setStartedAt(null)
                .setFinishedAt(null)
                .setFailure(null)
                .setWorker(null)
                .setUpdatedAt(UNSET)
                .setVersion(0)
                .setProgress(null)
                .setOutputs(new ArrayList<>())
                .setLastHeartbeatAt(null)
                .setCancelRequestedAt(null)
                .setCancelRequestedBy(null)
                .build();
    }

    /** Equal in everything but the bookkeeping fields {@code updatedAt} and {@code version}. */
    private static boolean sameContent(JobStatusView current, JobStatusView next) {
        if (current == null) {
            return false;
        }
        JobStatusView comparable = JobStatusView.newBuilder(next)
                .setUpdatedAt(current.getUpdatedAt())
                .setVersion(current.getVersion())
                .build();
        return comparable.equals(current);
    }
}
