package io.jobline.processor.runner;

import java.time.Duration;

/** Why the runner stopped a running attempt; it decides the attempt's terminal event. */
sealed interface StopReason {

    /** A client cancelled the job: the attempt ends {@code JobCancelled}. */
    record Cancelled(String requestedBy) implements StopReason {
    }

    /** The attempt ran longer than its workflow allows: it ends {@code JobFailed} with kind {@code TIMEOUT}. */
    record TimedOut(Duration maxRunTime) implements StopReason {
    }

    /** This worker shuts down: the attempt ends {@code JobFailed} with kind {@code WORKER_LOST}, to be retried. */
    record ShuttingDown(Duration shutdownGrace) implements StopReason {
    }

    /** A newer attempt of the job was started elsewhere: this one ends without an event of its own. */
    record Superseded(int newerAttempt) implements StopReason {
    }
}
