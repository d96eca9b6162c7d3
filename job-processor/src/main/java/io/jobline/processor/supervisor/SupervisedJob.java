package io.jobline.processor.supervisor;

import java.util.Map;

/**
 * What the supervisor knows of a job that is not finished: enough to notice its worker is lost and to retry it.
 * Kept in the supervisor's state store until the job reaches an end that is not retried.
 *
 * @param attempt      the current attempt; 0 before the first start
 * @param lastSeenAt   the worker's last sign of life for the running attempt (epoch ms)
 * @param retryAt      when the scheduled automatic retry is due (epoch ms)
 */
record SupervisedJob(String jobId, String owner, String workflow, Map<String, String> parameters, int attempt,
        Phase phase, String worker, long lastSeenAt, String cancelRequestedBy, long retryAt, String retryReason) {

    enum Phase {
        /** Submitted or retried; waits for a processor to start it. */
        PENDING,
        /** Started; the worker is expected to show signs of life. */
        RUNNING,
        /** The supervisor reported the running attempt lost and waits for that report to come back. */
        LOST_REPORTED,
        /** Failed with a retryable failure; the next attempt is requested at {@code retryAt}. */
        RETRY_SCHEDULED
    }

    static SupervisedJob pending(String jobId, String owner, String workflow, Map<String, String> parameters,
            int attempt) {
        return new SupervisedJob(jobId, owner, workflow, parameters, attempt, Phase.PENDING, null, 0, null, 0, null);
    }

    SupervisedJob running(int startedAttempt, String startedBy, long startedAt) {
        return new SupervisedJob(jobId, owner, workflow, parameters, startedAttempt, Phase.RUNNING, startedBy,
                startedAt, cancelRequestedBy, 0, null);
    }

    SupervisedJob seen(long at) {
        return new SupervisedJob(jobId, owner, workflow, parameters, attempt, phase, worker,
                Math.max(lastSeenAt, at), cancelRequestedBy, retryAt, retryReason);
    }

    SupervisedJob cancelRequested(String requestedBy) {
        return new SupervisedJob(jobId, owner, workflow, parameters, attempt, phase, worker, lastSeenAt, requestedBy,
                retryAt, retryReason);
    }

    SupervisedJob lostReported() {
        return new SupervisedJob(jobId, owner, workflow, parameters, attempt, Phase.LOST_REPORTED, worker, lastSeenAt,
                cancelRequestedBy, 0, null);
    }

    SupervisedJob retryScheduled(int failedAttempt, long at, String reason) {
        return new SupervisedJob(jobId, owner, workflow, parameters, failedAttempt, Phase.RETRY_SCHEDULED, worker,
                lastSeenAt, null, at, reason);
    }
}
