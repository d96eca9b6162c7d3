package io.jobline.projection.fold;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.jobline.schemas.Failure;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;

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
 * COMPLETED | FAILED | CANCELLED}); the first terminal event of an attempt wins;</li>
 * <li>starts afresh when an event of a later attempt arrives, and ignores events of earlier attempts;</li>
 * <li>returns {@code current} itself when a record changes nothing (duplicates, stale events, unknown
 * types), so that the caller can tell "no change" by identity.</li>
 * </ul>
 * {@code version} counts the applied changes (1 for a new view); {@code updatedAt} is the time passed in,
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
        } else if (payload instanceof JobStarted started) {
            next = started(current, started);
        } else if (payload instanceof JobCompleted completed) {
            next = completed(current, completed);
        } else if (payload instanceof JobFailed failed) {
            next = failed(current, failed);
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

    private static JobStatusView started(JobStatusView current, JobStarted started) {
        JobStatusView next = copyOrNew(current, started.getJobId());
        int attempt = started.getAttempt();
        if (attempt < next.getAttempt()) {
            return null; // an earlier attempt: stale
        }
        if (attempt > next.getAttempt()) {
            newAttempt(next, attempt, JobStatus.RUNNING);
            next.setStartedAt(started.getStartedAt());
            next.setWorker(started.getWorker());
            return next;
        }
        if (rank(next.getStatus()) < rank(JobStatus.RUNNING)) {
            next.setStatus(JobStatus.RUNNING);
        }
        // the attempt's terminal event may have come first: keep its status, complete the details
        if (next.getStartedAt() == null) {
            next.setStartedAt(started.getStartedAt());
        }
        if (next.getWorker() == null) {
            next.setWorker(started.getWorker());
        }
        return next;
    }

    private static JobStatusView completed(JobStatusView current, JobCompleted completed) {
        JobStatusView next = copyOrNew(current, completed.getJobId());
        if (!enterTerminal(next, completed.getAttempt(), JobStatus.COMPLETED)) {
            return null;
        }
        if (next.getStartedAt() == null) {
            next.setStartedAt(completed.getStartedAt());
        }
        if (next.getFinishedAt() == null) {
            next.setFinishedAt(completed.getFinishedAt());
        }
        return next;
    }

    private static JobStatusView failed(JobStatusView current, JobFailed failed) {
        JobStatusView next = copyOrNew(current, failed.getJobId());
        if (!enterTerminal(next, failed.getAttempt(), JobStatus.FAILED)) {
            return null;
        }
        if (next.getStartedAt() == null) {
            next.setStartedAt(failed.getStartedAt());
        }
        if (next.getFinishedAt() == null) {
            next.setFinishedAt(failed.getFinishedAt());
        }
        if (next.getFailure() == null && failed.getFailure() != null) {
            next.setFailure(Failure.newBuilder(failed.getFailure()).build());
        }
        return next;
    }

    /**
     * Moves {@code next} into the terminal {@code status} of {@code attempt} if the order allows it.
     *
     * @return false when the event must be ignored (an earlier attempt, or another terminal status of the
     *         same attempt came first)
     */
    private static boolean enterTerminal(JobStatusView next, int attempt, JobStatus status) {
        if (attempt < next.getAttempt()) {
            return false;
        }
        if (attempt > next.getAttempt()) {
            newAttempt(next, attempt, status);
            return true;
        }
        if (isTerminal(next.getStatus())) {
            return next.getStatus() == status; // same status: a duplicate may still complete details
        }
        next.setStatus(status);
        return true;
    }

    private static void newAttempt(JobStatusView next, int attempt, JobStatus status) {
        next.setAttempt(attempt);
        next.setStatus(status);
        next.setStartedAt(null);
        next.setFinishedAt(null);
        next.setFailure(null);
        next.setWorker(null);
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
