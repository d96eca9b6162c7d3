package io.jobline.projection.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;

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
