package io.jobline.processor.duplicates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.jobline.schemas.JobSubmitted;

class SeenSubmissionsTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(24);

    private final SeenSubmissions submissions = new SeenSubmissions(WINDOW, Duration.ofSeconds(10));

    @Test
    void aSecondSubmissionOfAnOwnersKeyRepeatsTheFirst() throws Exception {
        assertThat(submissions.repeated(0, 10, submitted("j1", "alice", "k", T0))).isEmpty();

        assertThat(submissions.repeated(0, 11, submitted("j2", "alice", "k", T0.plusSeconds(1))))
                .hasValueSatisfying(why -> assertThat(why).contains("j1").contains("offset 10"));
        // the first, read again after a rollback or by the other reader, is still the first
        assertThat(submissions.repeated(0, 10, submitted("j1", "alice", "k", T0))).isEmpty();
    }

    @Test
    void keysOfOtherOwnersOrOtherPartitionsAndSubmissionsWithoutKeysAreNotRepeats() throws Exception {
        submissions.seen(0, 10, submitted("j1", "alice", "k", T0));

        assertThat(submissions.repeated(0, 11, submitted("j2", "bob", "k", T0))).isEmpty();
        assertThat(submissions.repeated(1, 11, submitted("j3", "alice", "k", T0))).isEmpty();
        assertThat(submissions.repeated(0, 12, submitted("j4", "alice", null, T0))).isEmpty();
        assertThat(submissions.repeated(0, 13, submitted("j5", "alice", null, T0))).isEmpty();
    }

    @Test
    void aJobIdSubmittedAgainIsARepeat() throws Exception {
        submissions.seen(2, 40, submitted("j1", "alice", null, T0));

        assertThat(submissions.repeated(2, 41, submitted("j1", "alice", null, T0)))
                .hasValueSatisfying(why -> assertThat(why).contains("j1").contains("offset 40"));
        assertThat(submissions.repeated(2, 40, submitted("j1", "alice", null, T0))).isEmpty();
    }

    @Test
    void afterTheWindowTheKeyMakesANewJobWhichLaterOnesRepeat() throws Exception {
        submissions.seen(0, 10, submitted("j1", "alice", "k", T0));
        submissions.seen(0, 11, submitted("j2", "alice", "k", T0.plusSeconds(60)));

        Instant nextDay = T0.plus(WINDOW);
        assertThat(submissions.repeated(0, 12, submitted("j3", "alice", "k", nextDay))).isEmpty();
        assertThat(submissions.repeated(0, 13, submitted("j4", "alice", "k", nextDay.plusSeconds(1))))
                .hasValueSatisfying(why -> assertThat(why).contains("j3"));
    }

    @Test
    void theAnswerForAnOffsetDependsOnlyOnTheSubmissionsBeforeIt() throws Exception {
        // the watch, ahead of the intake, has handed in later submissions first
        Instant nextDay = T0.plus(WINDOW).plusSeconds(5);
        submissions.seen(0, 13, submitted("j4", "alice", "k", nextDay.plusSeconds(1)));
        submissions.seen(0, 12, submitted("j3", "alice", "k", nextDay));
        submissions.seen(0, 11, submitted("j2", "alice", "k", T0.plusSeconds(1)));
        submissions.seen(0, 10, submitted("j1", "alice", "k", T0));

        assertThat(submissions.repeated(0, 10, submitted("j1", "alice", "k", T0))).isEmpty();
        assertThat(submissions.repeated(0, 11, submitted("j2", "alice", "k", T0.plusSeconds(1))))
                .hasValueSatisfying(why -> assertThat(why).contains("j1"));
        assertThat(submissions.repeated(0, 12, submitted("j3", "alice", "k", nextDay))).isEmpty();
        assertThat(submissions.repeated(0, 13, submitted("j4", "alice", "k", nextDay.plusSeconds(1))))
                .hasValueSatisfying(why -> assertThat(why).contains("j3"));
    }

    @Test
    void whileTheWatchIsBehindTheIntakeWaitsForItToReadThePartitionUpToTheSubmission() throws Exception {
        submissions.watchStarting();
        submissions.watchReading(List.of(0, 1));
        submissions.watchReadUpTo(0, 5);
        AtomicReference<Thread> intake = new AtomicReference<>();
        CompletableFuture<Optional<String>> decision = CompletableFuture.supplyAsync(() -> {
            intake.set(Thread.currentThread());
            try {
                return submissions.repeated(0, 11, submitted("j2", "alice", "k", T0.plusSeconds(1)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5))
                .until(() -> intake.get() != null && intake.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(decision).isNotDone();

        // the watch reads the first submission, made before this instance took the partition over
        submissions.seen(0, 10, submitted("j1", "alice", "k", T0));
        submissions.watchReadUpTo(0, 11);

        assertThat(decision.get()).hasValueSatisfying(why -> assertThat(why).contains("j1"));
    }

    @Test
    void theIntakeWaitsForTheWatchOnlyBoundedly() throws Exception {
        SeenSubmissions impatient = new SeenSubmissions(WINDOW, Duration.ofMillis(50));
        impatient.watchStarting();
        long begin = System.nanoTime();
        assertThat(impatient.repeated(0, 11, submitted("j2", "alice", "k", T0))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void theIntakeDoesNotWaitForAWatchThatIsNotReadingThePartition() {
        SeenSubmissions patient = new SeenSubmissions(WINDOW, Duration.ofMinutes(1));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(patient.repeated(0, 11, submitted("j2", "alice", "k", T0))).isEmpty(); // never started

            patient.watchStarting();
            patient.watchReading(List.of(0, 1));
            assertThat(patient.repeated(2, 11, submitted("j3", "alice", "k", T0))).isEmpty(); // added since

            patient.watchStopped();
            assertThat(patient.repeated(0, 12, submitted("j4", "alice", "k", T0))).isNotEmpty();
        });
    }

    private static JobSubmitted submitted(String jobId, String owner, String idempotencyKey, Instant at) {
        return JobSubmitted.newBuilder().setJobId(jobId).setOwner(owner).setWorkflow("mock").setParameters(Map.of())
                .setSubmittedAt(at).setRequestId("r-" + jobId).setIdempotencyKey(idempotencyKey).build();
    }
}
