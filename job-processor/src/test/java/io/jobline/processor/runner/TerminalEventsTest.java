package io.jobline.processor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Outcome;
import io.jobline.processor.pipeline.OutputFile;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;

class TerminalEventsTest {

    private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FINISHED = Instant.parse("2026-01-01T00:05:00Z");

    private final RunningJob runningJob = new RunningJob(new JobSpec("j1", 2, "alice", "test", Map.of()), STARTED,
            null);

    @Test
    void aSucceededRunIsCompleted() {
        JobEvent event = TerminalEvents.runEnded(runningJob,
                new Outcome.Succeeded(List.of(new OutputFile("results/counts.txt", 42))), null, "worker-1", FINISHED);

        assertThat(event.getJobId()).isEqualTo("j1");
        assertThat(event.getEvent()).isInstanceOfSatisfying(JobCompleted.class, completed -> {
            assertThat(completed.getJobId()).isEqualTo("j1");
            assertThat(completed.getAttempt()).isEqualTo(2);
            assertThat(completed.getStartedAt()).isEqualTo(STARTED);
            assertThat(completed.getFinishedAt()).isEqualTo(FINISHED);
            assertThat(completed.getOutputs()).singleElement().satisfies(output -> {
                assertThat(output.getPath()).isEqualTo("results/counts.txt");
                assertThat(output.getSizeBytes()).isEqualTo(42);
            });
        });
    }

    @Test
    void aFailedRunIsReportedAsThePipelineSawIt() {
        JobFailed failed = failure(TerminalEvents.runEnded(runningJob,
                new Outcome.Failed(FailureKind.PIPELINE, "rule x failed", 3, List.of("a", "b")), null, "worker-1",
                FINISHED));

        assertThat(failed.getAttempt()).isEqualTo(2);
        assertThat(failed.getStartedAt()).isEqualTo(STARTED);
        assertThat(failed.getFinishedAt()).isEqualTo(FINISHED);
        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.PIPELINE);
        assertThat(failed.getFailure().getReason()).isEqualTo("rule x failed");
        assertThat(failed.getFailure().getExitCode()).isEqualTo(3);
        assertThat(failed.getFailure().getLogTail()).containsExactly("a", "b");
    }

    @Test
    void aPipelineThatFailedItselfIsASystemFailureNamingTheWrappedCause() {
        Throwable wrapped = new CompletionException(new ExecutionException(new IllegalArgumentException("bang")));

        JobFailed failed = failure(TerminalEvents.runEnded(runningJob, null, wrapped, "worker-1", FINISHED));

        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.SYSTEM);
        assertThat(failed.getFailure().getReason())
                .isEqualTo("the test pipeline failed unexpectedly: java.lang.IllegalArgumentException: bang");
        assertThat(failed.getFailure().getExitCode()).isNull();
        assertThat(failed.getStartedAt()).isEqualTo(STARTED);
    }

    @Test
    void aRunStoppedOnRequestIsCancelledByWhoAsked() {
        runningJob.stop(new StopReason.Cancelled("bob"));

        JobEvent event = TerminalEvents.runEnded(runningJob, new Outcome.Stopped(List.of("last")), null, "worker-1",
                FINISHED);

        assertThat(event.getEvent()).isInstanceOfSatisfying(JobCancelled.class, cancelled -> {
            assertThat(cancelled.getAttempt()).isEqualTo(2);
            assertThat(cancelled.getStartedAt()).isEqualTo(STARTED);
            assertThat(cancelled.getCancelledAt()).isEqualTo(FINISHED);
            assertThat(cancelled.getRequestedBy()).isEqualTo("bob");
            assertThat(cancelled.getLogTail()).containsExactly("last");
        });
    }

    @Test
    void aRunStoppedAfterItsMaximumRunTimeTimedOut() {
        runningJob.stop(new StopReason.TimedOut(Duration.ofMinutes(5)));
        runningJob.stop(new StopReason.Cancelled("bob")); // too late: the first reason stands

        JobFailed failed = failure(TerminalEvents.runEnded(runningJob, new Outcome.Stopped(List.of("x")), null,
                "worker-1", FINISHED));

        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(failed.getFailure().getReason()).contains("PT5M").contains("workflow test");
        assertThat(failed.getFailure().getLogTail()).containsExactly("x");
    }

    @Test
    void aRunStoppedAtShutdownIsLostByItsWorker() {
        runningJob.stop(new StopReason.ShuttingDown(Duration.ofSeconds(30)));

        JobFailed failed = failure(TerminalEvents.runEnded(runningJob, new Outcome.Stopped(List.of()), null,
                "worker-1", FINISHED));

        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.WORKER_LOST);
        assertThat(failed.getFailure().getReason()).contains("worker worker-1 shut down");
    }

    @Test
    void aSupersededRunEndsWithoutAnEvent() {
        runningJob.stop(new StopReason.Superseded(3));

        assertThat(TerminalEvents.runEnded(runningJob, new Outcome.Stopped(List.of()), null, "worker-1", FINISHED))
                .isNull();
    }

    @Test
    void aRunThatStoppedByItselfIsASystemFailure() {
        JobFailed failed = failure(TerminalEvents.runEnded(runningJob, new Outcome.Stopped(List.of()), null,
                "worker-1", FINISHED));

        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.SYSTEM);
    }

    @Test
    void aRunWithoutOutcomeIsASystemFailure() {
        JobFailed failed = failure(TerminalEvents.runEnded(runningJob, null, null, "worker-1", FINISHED));

        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.SYSTEM);
        assertThat(failed.getFailure().getReason()).isEqualTo("the test pipeline ended without an outcome");
    }

    @Test
    void aJobGivenUpAtShutdownIsLostByItsWorker() {
        JobFailed failed = failure(TerminalEvents.workerLost(runningJob, "worker-1", Duration.ofSeconds(30), FINISHED));

        assertThat(failed.getAttempt()).isEqualTo(2);
        assertThat(failed.getStartedAt()).isEqualTo(STARTED);
        assertThat(failed.getFinishedAt()).isEqualTo(FINISHED);
        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.WORKER_LOST);
        assertThat(failed.getFailure().getReason())
                .isEqualTo("worker worker-1 shut down before the job finished (shutdown grace PT30S elapsed)");
        assertThat(failed.getFailure().getExitCode()).isNull();
    }

    private static JobFailed failure(JobEvent event) {
        assertThat(event.getJobId()).isEqualTo("j1");
        assertThat(event.getEvent()).isInstanceOf(JobFailed.class);
        return (JobFailed) event.getEvent();
    }
}
