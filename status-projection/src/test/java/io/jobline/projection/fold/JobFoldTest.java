package io.jobline.projection.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
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

class JobFoldTest {

    private static final String ID = "0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00.123Z");

    private final JobFold fold = new JobFold();

    @Test
    void submissionCreatesAPendingView() {
        JobStatusView view = fold.apply(null, submitted(), at(1));

        assertThat(view.getJobId()).isEqualTo(ID);
        assertThat(view.getOwner()).isEqualTo("alice");
        assertThat(view.getWorkflow()).isEqualTo("mock");
        assertThat(view.getParameters()).containsExactlyEntriesOf(Map.of("k", "v"));
        assertThat(view.getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(view.getAttempt()).isZero();
        assertThat(view.getSubmittedAt()).isEqualTo(T0);
        assertThat(view.getStartedAt()).isNull();
        assertThat(view.getFinishedAt()).isNull();
        assertThat(view.getFailure()).isNull();
        assertThat(view.getWorker()).isNull();
        assertThat(view.getUpdatedAt()).isEqualTo(at(1));
        assertThat(view.getVersion()).isEqualTo(1);
        assertThat(view.getProgress()).isNull();
        assertThat(view.getOutputs()).isEmpty();
        assertThat(view.getLastHeartbeatAt()).isNull();
        assertThat(view.getCancelRequestedAt()).isNull();
        assertThat(view.getCancelRequestedBy()).isNull();
    }

    @Test
    void acceptsTheWrappersAsWellAsThePayloads() {
        JobStatusView wrapped = fold.apply(null, JobCommand.newBuilder().setJobId(ID).setCommand(submitted()).build(), at(1));
        JobStatusView bare = fold.apply(null, submitted(), at(1));
        assertThat(wrapped).isEqualTo(bare);

        JobStatusView started = fold.apply(wrapped, JobEvent.newBuilder().setJobId(ID).setEvent(started(1, "w1")).build(), at(2));
        assertThat(started.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void happyPathRunsThroughPendingRunningCompleted() {
        JobStatusView pending = fold.apply(null, submitted(), at(1));
        JobStatusView running = fold.apply(pending, started(1, "worker-1"), at(2));
        JobStatusView completed = fold.apply(running, completed(1), at(3));

        assertThat(running.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.getAttempt()).isEqualTo(1);
        assertThat(running.getStartedAt()).isEqualTo(at(2));
        assertThat(running.getWorker()).isEqualTo("worker-1");
        assertThat(running.getVersion()).isEqualTo(2);
        assertThat(running.getUpdatedAt()).isEqualTo(at(2));

        assertThat(completed.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(completed.getFinishedAt()).isEqualTo(at(3));
        assertThat(completed.getStartedAt()).isEqualTo(at(2));
        assertThat(completed.getWorker()).isEqualTo("worker-1");
        assertThat(completed.getOwner()).isEqualTo("alice");
        assertThat(completed.getVersion()).isEqualTo(3);
        assertThat(completed.getUpdatedAt()).isEqualTo(at(3));
    }

    @Test
    void doesNotChangeTheViewItIsGiven() {
        JobStatusView pending = fold.apply(null, submitted(), at(1));
        JobStatusView copy = JobStatusView.newBuilder(pending).build();
        fold.apply(pending, started(1, "w"), at(2));
        assertThat(pending).isEqualTo(copy);
    }

    @Test
    void failureCarriesItsDetails() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2));
        JobStatusView failed = fold.apply(running, failed(1, FailureKind.PIPELINE, "rule align failed", 1), at(5));

        assertThat(failed.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.getFinishedAt()).isEqualTo(at(5));
        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.PIPELINE);
        assertThat(failed.getFailure().getReason()).isEqualTo("rule align failed");
        assertThat(failed.getFailure().getExitCode()).isEqualTo(1);
    }

    @Test
    void systemFailureWithoutExitCodeOrStart() {
        JobStatusView pending = fold.apply(null, submitted(), at(1));
        JobFailed cannotStart = JobFailed.newBuilder().setJobId(ID).setAttempt(1).setStartedAt(null).setFinishedAt(at(2))
                .setFailure(Failure.newBuilder().setKind(FailureKind.CANNOT_START).setReason("no such workflow")
                        .setExitCode(null).build())
                .build();

        JobStatusView failed = fold.apply(pending, cannotStart, at(2));

        assertThat(failed.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.getAttempt()).isEqualTo(1);
        assertThat(failed.getStartedAt()).isNull();
        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.CANNOT_START);
        assertThat(failed.getFailure().getExitCode()).isNull();
    }

    @Test
    void duplicatesReturnTheSameView() {
        JobStatusView pending = fold.apply(null, submitted(), at(1));
        assertThat(fold.apply(pending, submitted(), at(9))).isSameAs(pending);

        JobStatusView running = fold.apply(pending, started(1, "w"), at(2));
        assertThat(fold.apply(running, started(1, "w"), at(9))).isSameAs(running);

        JobStatusView completed = fold.apply(running, completed(1), at(3));
        assertThat(fold.apply(completed, completed(1), at(9))).isSameAs(completed);

        JobStatusView failedRun = fold.apply(running, failed(1, FailureKind.TIMEOUT, "too slow", null), at(3));
        assertThat(fold.apply(failedRun, failed(1, FailureKind.TIMEOUT, "too slow", null), at(9))).isSameAs(failedRun);
    }

    @Test
    void eventBeforeSubmissionCreatesAViewWithoutOwnerThatTheSubmissionCompletes() {
        JobStatusView running = fold.apply(null, started(1, "w"), at(2));

        assertThat(running.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.getOwner()).isNull();
        assertThat(running.getWorkflow()).isNull();
        assertThat(running.getSubmittedAt()).isNull();
        assertThat(running.getParameters()).isEmpty();
        assertThat(running.getVersion()).isEqualTo(1);

        JobStatusView submitted = fold.apply(running, submitted(), at(1));

        assertThat(submitted.getStatus()).isEqualTo(JobStatus.RUNNING); // not back to PENDING
        assertThat(submitted.getOwner()).isEqualTo("alice");
        assertThat(submitted.getWorkflow()).isEqualTo("mock");
        assertThat(submitted.getParameters()).containsEntry("k", "v");
        assertThat(submitted.getSubmittedAt()).isEqualTo(T0);
        assertThat(submitted.getWorker()).isEqualTo("w");
        assertThat(submitted.getVersion()).isEqualTo(2);
        assertThat(submitted.getUpdatedAt()).isEqualTo(at(1)); // the record's time
    }

    @Test
    void terminalEventBeforeStartKeepsTheTerminalStatusAndTakesTheStartDetails() {
        JobStatusView completed = fold.apply(null, completed(1), at(3));
        assertThat(completed.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(completed.getWorker()).isNull();

        JobStatusView late = fold.apply(completed, started(1, "worker-9"), at(2));
        assertThat(late.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(late.getWorker()).isEqualTo("worker-9");
        assertThat(late.getFinishedAt()).isEqualTo(at(3));

        JobStatusView submittedLast = fold.apply(late, submitted(), at(1));
        assertThat(submittedLast.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(submittedLast.getOwner()).isEqualTo("alice");
    }

    @Test
    void statusNeverGoesBackwardsWithinAnAttempt() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2));
        JobStatusView completed = fold.apply(running, completed(1), at(3));

        // a second terminal event of the same attempt loses to the first
        assertThat(fold.apply(completed, failed(1, FailureKind.WORKER_LOST, "gone", null), at(4))).isSameAs(completed);
        // a start of the same attempt does not reopen it
        assertThat(fold.apply(completed, started(1, "w"), at(4))).isSameAs(completed);
    }

    @Test
    void aLaterAttemptStartsAfreshAndEarlierAttemptsAreIgnored() {
        JobStatusView firstFailed = fold.apply(fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w1"), at(2)),
                failed(1, FailureKind.WORKER_LOST, "heartbeats stopped", null), at(3));

        JobStatusView retry = fold.apply(firstFailed, started(2, "w2"), at(4));
        assertThat(retry.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(retry.getAttempt()).isEqualTo(2);
        assertThat(retry.getWorker()).isEqualTo("w2");
        assertThat(retry.getStartedAt()).isEqualTo(at(4));
        assertThat(retry.getFinishedAt()).isNull();
        assertThat(retry.getFailure()).isNull();
        assertThat(retry.getOwner()).isEqualTo("alice");

        // late events of attempt 1 change nothing
        assertThat(fold.apply(retry, completed(1), at(5))).isSameAs(retry);
        assertThat(fold.apply(retry, started(1, "w1"), at(5))).isSameAs(retry);

        JobStatusView done = fold.apply(retry, completed(2), at(6));
        assertThat(done.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.getAttempt()).isEqualTo(2);
        assertThat(done.getVersion()).isEqualTo(5);
    }

    @Test
    void terminalEventOfANewAttemptBeforeItsStart() {
        JobStatusView firstFailed = fold.apply(fold.apply(null, started(1, "w1"), at(2)),
                failed(1, FailureKind.TIMEOUT, "timed out", null), at(3));

        JobStatusView secondDone = fold.apply(firstFailed, completed(2), at(6));
        assertThat(secondDone.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(secondDone.getAttempt()).isEqualTo(2);
        assertThat(secondDone.getFailure()).isNull();
        assertThat(secondDone.getWorker()).isNull();

        JobStatusView secondStartLate = fold.apply(secondDone, started(2, "w2"), at(5));
        assertThat(secondStartLate.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(secondStartLate.getWorker()).isEqualTo("w2");
    }

    @Test
    void unknownRecordsChangeNothing() {
        JobStatusView pending = fold.apply(null, submitted(), at(1));
        assertThat(fold.apply(pending, "something else", at(2))).isSameAs(pending);
        assertThat(fold.apply(null, "something else", at(2))).isNull();
    }

    @Test
    void ranksStatuses() {
        assertThat(JobFold.rank(JobStatus.PENDING)).isLessThan(JobFold.rank(JobStatus.RUNNING));
        assertThat(JobFold.rank(JobStatus.RUNNING)).isLessThan(JobFold.rank(JobStatus.COMPLETED));
        assertThat(JobFold.rank(JobStatus.COMPLETED)).isEqualTo(JobFold.rank(JobStatus.FAILED));
        assertThat(JobFold.isTerminal(JobStatus.CANCELLED)).isTrue();
        assertThat(JobFold.isTerminal(JobStatus.CANCELLING)).isFalse();
    }

    // --- cancel ---

    @Test
    void cancelOfAPendingJobMakesItCancellingWithWhoAndWhen() {
        JobStatusView pending = fold.apply(null, submitted(), at(1));
        JobStatusView cancelling = fold.apply(pending, cancelRequested("bob", 2), at(2));

        assertThat(cancelling.getStatus()).isEqualTo(JobStatus.CANCELLING);
        assertThat(cancelling.getCancelRequestedAt()).isEqualTo(at(2));
        assertThat(cancelling.getCancelRequestedBy()).isEqualTo("bob");
        assertThat(cancelling.getAttempt()).isZero();
        assertThat(cancelling.getVersion()).isEqualTo(2);
    }

    @Test
    void aPendingJobIsCancelledWithoutEverStarting() {
        JobStatusView cancelling = fold.apply(fold.apply(null, submitted(), at(1)), cancelRequested("bob", 2), at(2));
        JobStatusView cancelled = fold.apply(cancelling, cancelled(1, null, 3, "bob"), at(3));

        assertThat(cancelled.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.getAttempt()).isEqualTo(1);
        assertThat(cancelled.getStartedAt()).isNull();
        assertThat(cancelled.getWorker()).isNull();
        assertThat(cancelled.getFinishedAt()).isEqualTo(at(3));
        assertThat(cancelled.getCancelRequestedAt()).isEqualTo(at(2)); // kept: attempt 0 was waiting for attempt 1
        assertThat(cancelled.getCancelRequestedBy()).isEqualTo("bob");
    }

    @Test
    void aRunningJobGoesCancellingThenCancelled() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w1"), at(2));
        JobStatusView cancelling = fold.apply(running, cancelRequested("bob", 3), at(3));
        assertThat(cancelling.getStatus()).isEqualTo(JobStatus.CANCELLING);
        assertThat(cancelling.getWorker()).isEqualTo("w1");
        assertThat(cancelling.getStartedAt()).isEqualTo(at(2));

        JobStatusView cancelled = fold.apply(cancelling, cancelled(1, at(2), 4, "bob"), at(4));
        assertThat(cancelled.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.getAttempt()).isEqualTo(1);
        assertThat(cancelled.getFinishedAt()).isEqualTo(at(4));
        assertThat(cancelled.getStartedAt()).isEqualTo(at(2));
        assertThat(cancelled.getCancelRequestedAt()).isEqualTo(at(3));
        assertThat(cancelled.getWorker()).isEqualTo("w1");
    }

    @Test
    void cancelOfAnEndedOrCancellingJobChangesNothing() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2));
        JobStatusView completed = fold.apply(running, completed(1), at(3));
        JobStatusView failed = fold.apply(running, failed(1, FailureKind.PIPELINE, "boom", 1), at(3));
        JobStatusView cancelling = fold.apply(running, cancelRequested("bob", 3), at(3));
        JobStatusView cancelled = fold.apply(cancelling, cancelled(1, at(2), 4, "bob"), at(4));

        assertThat(fold.apply(completed, cancelRequested("carol", 5), at(5))).isSameAs(completed);
        assertThat(fold.apply(failed, cancelRequested("carol", 5), at(5))).isSameAs(failed);
        assertThat(fold.apply(cancelled, cancelRequested("carol", 5), at(5))).isSameAs(cancelled);
        JobStatusView again = fold.apply(cancelling, cancelRequested("carol", 5), at(5));
        assertThat(again).isSameAs(cancelling); // the first request stays the one shown
    }

    @Test
    void aStartAfterTheCancelRequestKeepsTheJobCancellingAndRecordsTheStart() {
        JobStatusView cancelling = fold.apply(fold.apply(null, submitted(), at(1)), cancelRequested("bob", 2), at(2));
        JobStatusView started = fold.apply(cancelling, started(1, "w1"), at(3));

        assertThat(started.getStatus()).isEqualTo(JobStatus.CANCELLING);
        assertThat(started.getAttempt()).isEqualTo(1);
        assertThat(started.getStartedAt()).isEqualTo(at(2)); // the event's startedAt
        assertThat(started.getWorker()).isEqualTo("w1");
        assertThat(started.getCancelRequestedBy()).isEqualTo("bob");

        // its heartbeats still count: the attempt runs until it is killed
        JobStatusView beat = fold.apply(started, heartbeat(1, "w1", 4), at(4));
        assertThat(beat.getLastHeartbeatAt()).isEqualTo(at(4));
        assertThat(beat.getStatus()).isEqualTo(JobStatus.CANCELLING);
    }

    @Test
    void theCancellationBeforeItsRequestIsCompletedByTheLateRequest() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w1"), at(2));
        JobStatusView cancelled = fold.apply(running, cancelled(1, at(2), 4, "bob"), at(4));
        assertThat(cancelled.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.getCancelRequestedBy()).isEqualTo("bob"); // from the event
        assertThat(cancelled.getCancelRequestedAt()).isNull();

        JobStatusView withRequest = fold.apply(cancelled, cancelRequested("bob", 3), at(5));
        assertThat(withRequest.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(withRequest.getCancelRequestedAt()).isEqualTo(at(3));
        assertThat(withRequest.getFinishedAt()).isEqualTo(at(4));
    }

    @Test
    void theFirstTerminalEventOfAnAttemptWinsOverACancellation() {
        JobStatusView cancelling = fold.apply(fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2)),
                cancelRequested("bob", 3), at(3));
        // the pipeline finished before the kill reached it
        JobStatusView completed = fold.apply(cancelling, completed(1), at(4));
        assertThat(completed.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(fold.apply(completed, cancelled(1, at(2), 5, "bob"), at(5))).isSameAs(completed);

        JobStatusView cancelled = fold.apply(cancelling, cancelled(1, at(2), 4, "bob"), at(4));
        assertThat(fold.apply(cancelled, failed(1, FailureKind.WORKER_LOST, "gone", null), at(5))).isSameAs(cancelled);
        assertThat(fold.apply(cancelled, completed(1), at(5))).isSameAs(cancelled);
        assertThat(fold.apply(cancelled, cancelled(1, at(2), 4, "bob"), at(6))).isSameAs(cancelled);
    }

    @Test
    void aCancellationOfAnEarlierAttemptIsIgnored() {
        JobStatusView retried = fold.apply(failedFirstAttempt(), retry(2, false), at(6));
        assertThat(fold.apply(retried, cancelled(1, at(2), 7, "bob"), at(7))).isSameAs(retried);
    }

    // --- retry ---

    @Test
    void retryOfAFailedJobStartsTheNextAttemptPendingAndForgetsTheLastOne() {
        JobStatusView failed = failedFirstAttempt();
        assertThat(failed.getProgress()).isNotNull();
        assertThat(failed.getLastHeartbeatAt()).isNotNull();

        JobStatusView pending = fold.apply(failed, retry(2, false), at(6));

        assertThat(pending.getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(pending.getAttempt()).isEqualTo(2);
        assertThat(pending.getStartedAt()).isNull();
        assertThat(pending.getFinishedAt()).isNull();
        assertThat(pending.getFailure()).isNull();
        assertThat(pending.getProgress()).isNull();
        assertThat(pending.getOutputs()).isEmpty();
        assertThat(pending.getWorker()).isNull();
        assertThat(pending.getLastHeartbeatAt()).isNull();
        assertThat(pending.getOwner()).isEqualTo("alice");
        assertThat(pending.getSubmittedAt()).isEqualTo(T0);

        JobStatusView running = fold.apply(pending, started(2, "w2"), at(7));
        assertThat(running.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.getAttempt()).isEqualTo(2);
        assertThat(running.getWorker()).isEqualTo("w2");

        // a duplicate retry of the same attempt changes nothing, before or after its start
        assertThat(fold.apply(pending, retry(2, true), at(8))).isSameAs(pending);
        assertThat(fold.apply(running, retry(2, false), at(8))).isSameAs(running);
    }

    @Test
    void retryOfACancelledJobForgetsTheCancelRequest() {
        JobStatusView cancelling = fold.apply(fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2)),
                cancelRequested("bob", 3), at(3));
        JobStatusView cancelled = fold.apply(cancelling, cancelled(1, at(2), 4, "bob"), at(4));

        JobStatusView pending = fold.apply(cancelled, retry(2, false), at(5));

        assertThat(pending.getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(pending.getAttempt()).isEqualTo(2);
        assertThat(pending.getCancelRequestedAt()).isNull();
        assertThat(pending.getCancelRequestedBy()).isNull();
        assertThat(pending.getFinishedAt()).isNull();

        // and the new attempt can be cancelled in turn
        JobStatusView cancellingAgain = fold.apply(pending, cancelRequested("carol", 6), at(6));
        assertThat(cancellingAgain.getStatus()).isEqualTo(JobStatus.CANCELLING);
        assertThat(cancellingAgain.getCancelRequestedBy()).isEqualTo("carol");
        assertThat(fold.apply(cancellingAgain, cancelled(2, null, 7, "carol"), at(7)).getStatus())
                .isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void retryOfAPendingJobCancelledBeforeItStarted() {
        JobStatusView cancelled = fold.apply(fold.apply(fold.apply(null, submitted(), at(1)), cancelRequested("bob", 2), at(2)),
                cancelled(1, null, 3, "bob"), at(3));
        JobStatusView pending = fold.apply(cancelled, retry(2, false), at(4));
        assertThat(pending.getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(pending.getAttempt()).isEqualTo(2);
    }

    @Test
    void retryOfAnEarlierOrTheSameAttemptOrOfACompletedJobChangesNothing() {
        JobStatusView failed = failedFirstAttempt();
        assertThat(fold.apply(failed, retry(1, false), at(6))).isSameAs(failed);

        JobStatusView completed = fold.apply(fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2)),
                completed(1), at(3));
        assertThat(fold.apply(completed, retry(2, false), at(6))).isSameAs(completed);

        JobStatusView secondRunning = fold.apply(fold.apply(failed, retry(2, false), at(6)), started(2, "w2"), at(7));
        assertThat(fold.apply(secondRunning, retry(2, false), at(8))).isSameAs(secondRunning);
    }

    @Test
    void aRetryBeforeThePreviousAttemptsEndIsFoldedAndTheLateEndIgnored() {
        // the automatic retry came through the commands topic before the failure through the events topic
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w1"), at(2));
        JobStatusView pending = fold.apply(running, retry(2, true), at(4));
        assertThat(pending.getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(pending.getAttempt()).isEqualTo(2);
        assertThat(pending.getWorker()).isNull();

        assertThat(fold.apply(pending, failed(1, FailureKind.WORKER_LOST, "heartbeats stopped", null), at(5)))
                .isSameAs(pending);
        assertThat(fold.apply(pending, heartbeat(1, "w1", 5), at(5))).isSameAs(pending);
    }

    @Test
    void theNextAttemptsEventsBeforeItsRetryCommand() {
        JobStatusView failed = failedFirstAttempt();
        JobStatusView running = fold.apply(failed, started(2, "w2"), at(7));
        assertThat(running.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.getAttempt()).isEqualTo(2);
        assertThat(running.getFailure()).isNull();
        assertThat(running.getProgress()).isNull();

        // the retry command folded last changes nothing: attempt 2 has started
        assertThat(fold.apply(running, retry(2, false), at(6))).isSameAs(running);
    }

    // --- progress, heartbeats, outputs ---

    @Test
    void progressOfTheRunningAttemptIsShownAndCountsAsAHeartbeat() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2));
        JobStatusView three = fold.apply(running, progress(1, 3, 7, 3), at(3));
        assertThat(three.getProgress().getDone()).isEqualTo(3);
        assertThat(three.getProgress().getTotal()).isEqualTo(7);
        assertThat(three.getLastHeartbeatAt()).isEqualTo(at(3));
        assertThat(three.getStatus()).isEqualTo(JobStatus.RUNNING);

        JobStatusView four = fold.apply(three, progress(1, 4, 7, 4), at(4));
        assertThat(four.getProgress().getDone()).isEqualTo(4);
        assertThat(four.getLastHeartbeatAt()).isEqualTo(at(4));
        assertThat(four.getVersion()).isEqualTo(three.getVersion() + 1);

        assertThat(fold.apply(four, progress(1, 4, 7, 4), at(9))).isSameAs(four); // a duplicate
    }

    @Test
    void progressAndHeartbeatsOfOtherAttemptsOrOfEndedJobsAreIgnored() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2));
        assertThat(fold.apply(running, progress(2, 1, 7, 3), at(3))).isSameAs(running);
        assertThat(fold.apply(running, heartbeat(2, "w", 3), at(3))).isSameAs(running);

        JobStatusView completed = fold.apply(running, completed(1), at(3));
        assertThat(fold.apply(completed, progress(1, 7, 7, 4), at(4))).isSameAs(completed);
        assertThat(fold.apply(completed, heartbeat(1, "w", 4), at(4))).isSameAs(completed);

        JobStatusView secondPending = fold.apply(failedFirstAttempt(), retry(2, false), at(6));
        assertThat(fold.apply(secondPending, progress(1, 5, 7, 7), at(7))).isSameAs(secondPending);
    }

    @Test
    void heartbeatsMoveTheLastSignOfLifeForwardOnly() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2));
        JobStatusView beat = fold.apply(running, heartbeat(1, "w", 10), at(10));
        assertThat(beat.getLastHeartbeatAt()).isEqualTo(at(10));
        assertThat(beat.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(beat.getProgress()).isNull();

        assertThat(fold.apply(beat, heartbeat(1, "w", 8), at(11))).isSameAs(beat); // older: no change
        JobStatusView later = fold.apply(beat, heartbeat(1, "w", 12), at(12));
        assertThat(later.getLastHeartbeatAt()).isEqualTo(at(12));

        // an older progress report updates the progress, not the heartbeat time
        JobStatusView progressed = fold.apply(later, progress(1, 2, 5, 11), at(13));
        assertThat(progressed.getProgress().getDone()).isEqualTo(2);
        assertThat(progressed.getLastHeartbeatAt()).isEqualTo(at(12));
    }

    @Test
    void completionCarriesTheOutputs() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2));
        JobStatusView completed = fold.apply(running, completed(1, output("results/counts.txt", 123),
                output("results/summary.txt", 9)), at(3));

        assertThat(completed.getOutputs()).extracting(JobOutput::getPath)
                .containsExactly("results/counts.txt", "results/summary.txt");
        assertThat(completed.getOutputs()).extracting(JobOutput::getSizeBytes).containsExactly(123L, 9L);
        assertThat(fold.apply(completed, completed(1, output("results/counts.txt", 123),
                output("results/summary.txt", 9)), at(4))).isSameAs(completed);

        // a completion that came before the start keeps its outputs when the start arrives
        JobStatusView early = fold.apply(null, completed(1, output("a.txt", 1)), at(3));
        JobStatusView late = fold.apply(early, started(1, "w"), at(4));
        assertThat(late.getOutputs()).extracting(JobOutput::getPath).containsExactly("a.txt");
    }

    @Test
    void failureCarriesTheLogTail() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w"), at(2));
        JobFailed withTail = JobFailed.newBuilder(failed(1, FailureKind.PIPELINE, "rule count failed", 1))
                .setFailure(Failure.newBuilder().setKind(FailureKind.PIPELINE).setReason("rule count failed")
                        .setExitCode(1).setLogTail(List.of("Error in rule count:", "exit status 3")).build())
                .build();

        JobStatusView failed = fold.apply(running, withTail, at(5));
        assertThat(failed.getFailure().getLogTail()).containsExactly("Error in rule count:", "exit status 3");
    }

    @Test
    void aNewAttemptsEventsForgetTheOutputsAndProgressOfTheLastOne() {
        JobStatusView completed = fold.apply(fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w1"), at(2)),
                completed(1, output("x", 1)), at(3));
        // not a lifecycle a client can ask for, but a processor may replay an attempt's start after a crash
        JobStatusView second = fold.apply(completed, started(2, "w2"), at(4));
        assertThat(second.getOutputs()).isEmpty();
        assertThat(second.getProgress()).isNull();
        assertThat(second.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    /** submitted, started by w1, progress 3/7 with a heartbeat, then failed with a system failure. */
    private JobStatusView failedFirstAttempt() {
        JobStatusView running = fold.apply(fold.apply(null, submitted(), at(1)), started(1, "w1"), at(2));
        JobStatusView progressed = fold.apply(running, progress(1, 3, 7, 3), at(3));
        return fold.apply(progressed, failed(1, FailureKind.WORKER_LOST, "heartbeats stopped", null), at(5));
    }

    private static JobCancelRequested cancelRequested(String by, int second) {
        return JobCancelRequested.newBuilder().setJobId(ID).setRequestedBy(by).setRequestedAt(at(second))
                .setRequestId("cancel-" + second).build();
    }

    private static JobCancelled cancelled(int attempt, Instant startedAt, int second, String by) {
        return JobCancelled.newBuilder().setJobId(ID).setAttempt(attempt).setStartedAt(startedAt)
                .setCancelledAt(at(second)).setRequestedBy(by).setLogTail(List.of()).build();
    }

    private static JobRetryRequested retry(int attempt, boolean automatic) {
        return JobRetryRequested.newBuilder().setJobId(ID).setAttempt(attempt).setOwner("alice").setWorkflow("mock")
                .setParameters(Map.of("k", "v")).setRequestedBy(automatic ? "jobline" : "alice")
                .setRequestedAt(at(6)).setRequestId("retry-" + attempt).setAutomatic(automatic)
                .setReason(automatic ? "worker lost" : null).build();
    }

    private static JobProgress progress(int attempt, int done, int total, int second) {
        return JobProgress.newBuilder().setJobId(ID).setAttempt(attempt)
                .setProgress(Progress.newBuilder().setDone(done).setTotal(total).build()).setAt(at(second)).build();
    }

    private static JobHeartbeat heartbeat(int attempt, String worker, int second) {
        return JobHeartbeat.newBuilder().setJobId(ID).setAttempt(attempt).setWorker(worker).setAt(at(second)).build();
    }

    private static JobOutput output(String path, long size) {
        return JobOutput.newBuilder().setPath(path).setSizeBytes(size).build();
    }

    private static JobCompleted completed(int attempt, JobOutput... outputs) {
        return JobCompleted.newBuilder(completed(attempt)).setOutputs(List.of(outputs)).build();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static JobSubmitted submitted() {
        return JobSubmitted.newBuilder().setJobId(ID).setOwner("alice").setWorkflow("mock")
                .setParameters(Map.of("k", "v")).setSubmittedAt(T0).setRequestId("req-1").build();
    }

    private static JobStarted started(int attempt, String worker) {
        return JobStarted.newBuilder().setJobId(ID).setAttempt(attempt).setStartedAt(at(2 * attempt)).setWorker(worker).build();
    }

    private static JobCompleted completed(int attempt) {
        return JobCompleted.newBuilder().setJobId(ID).setAttempt(attempt).setStartedAt(at(2 * attempt))
                .setFinishedAt(at(3)).build();
    }

    private static JobFailed failed(int attempt, FailureKind kind, String reason, Integer exitCode) {
        return JobFailed.newBuilder().setJobId(ID).setAttempt(attempt).setStartedAt(at(2 * attempt)).setFinishedAt(at(5))
                .setFailure(Failure.newBuilder().setKind(kind).setReason(reason).setExitCode(exitCode).build()).build();
    }
}
