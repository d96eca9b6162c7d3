package io.jobline.projection.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;

class JobWatchesTest {

    private static final String ID = "019ad3a4-3c00-7001-8000-000000000001";
    private static final Duration LONG = Duration.ofMinutes(5);

    private final JobWatches watches = new JobWatches();

    @Test
    void aWaitEndsWhenTheFoldStoresAViewThatSatisfiesIt() throws Exception {
        CompletableFuture<JobWatches.Outcome> running =
                watches.await(ID, 2, WaitFor.status(JobStatus.RUNNING), LONG, () -> view(JobStatus.PENDING, 1)).toFuture();
        CompletableFuture<JobWatches.Outcome> change =
                watches.await(ID, 2, WaitFor.change(1L), LONG, () -> view(JobStatus.PENDING, 1)).toFuture();
        assertThat(watches.waiting()).isEqualTo(2);

        watches.changed(2, view(JobStatus.PENDING, 1)); // no change past version 1, not running
        watches.changed(2, view(JobStatus.CANCELLING, 2)); // a change, but not running yet
        assertThat(change.get().kind()).isEqualTo(JobWatches.Outcome.Kind.SATISFIED);
        assertThat(change.get().view().getVersion()).isEqualTo(2);
        assertThat(running).isNotDone();

        watches.changed(2, view(JobStatus.RUNNING, 3));
        assertThat(running.get().view().getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(watches.waiting()).isZero();
    }

    @Test
    void aViewStoredBeforeTheWaitWasRegisteredIsNotMissed() throws Exception {
        var outcome = watches.await(ID, 0, WaitFor.status(JobStatus.COMPLETED), LONG,
                () -> view(JobStatus.COMPLETED, 3)).toFuture();
        assertThat(outcome.get().kind()).isEqualTo(JobWatches.Outcome.Kind.SATISFIED);
    }

    @Test
    void aWaitEndsWhenItsTimeIsUpWhenThePartitionMovesAndWhenTheApplicationStops() throws Exception {
        var timedOut = watches.await(ID, 0, WaitFor.status(JobStatus.FAILED), Duration.ofMillis(20),
                () -> view(JobStatus.RUNNING, 2)).toFuture();
        assertThat(timedOut.get().kind()).isEqualTo(JobWatches.Outcome.Kind.TIMED_OUT);

        var onZero = watches.await(ID, 0, WaitFor.status(JobStatus.FAILED), LONG, () -> view(JobStatus.RUNNING, 2)).toFuture();
        var onOne = watches.await(ID, 1, WaitFor.status(JobStatus.FAILED), LONG, () -> view(JobStatus.RUNNING, 2)).toFuture();
        watches.partitionClosed(0);
        assertThat(onZero.get().moved()).isTrue();
        assertThat(onOne).isNotDone();

        watches.start();
        watches.stop();
        assertThat(onOne.get().kind()).isEqualTo(JobWatches.Outcome.Kind.TIMED_OUT);
        assertThat(watches.waiting()).isZero();
    }

    @Test
    void aFailingReadOfTheCurrentViewLeavesNoWaitBehind() {
        var failed = watches.await(ID, 0, WaitFor.status(JobStatus.FAILED), LONG, () -> {
            throw new IllegalStateException("store not queryable");
        }).toFuture();
        // the outcome is published on another thread
        assertThat(failed).failsWithin(java.time.Duration.ofSeconds(5));
        assertThat(watches.waiting()).isZero();
    }

    private static JobStatusView view(JobStatus status, long version) {
        return JobStatusView.newBuilder().setJobId(ID).setOwner("alice").setWorkflow("mock").setParameters(new HashMap<>())
                .setStatus(status).setAttempt(1).setSubmittedAt(null).setStartedAt(null).setFinishedAt(null)
                .setFailure(null).setWorker(null).setUpdatedAt(Instant.EPOCH).setVersion(version).setProgress(null)
                .setOutputs(new ArrayList<>()).setLastHeartbeatAt(null).setCancelRequestedAt(null)
                .setCancelRequestedBy(null).build();
    }
}
