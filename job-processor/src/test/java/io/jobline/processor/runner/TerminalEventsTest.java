package io.jobline.processor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Outcome;
import io.jobline.schemas.FailureKind;
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
        JobEvent event = TerminalEvents.runEnded(runningJob, Outcome.succeeded(), null, FINISHED);

        assertThat(event.getJobId()).isEqualTo("j1");
        assertThat(event.getEvent()).isInstanceOfSatisfying(JobCompleted.class, completed -> {
            assertThat(completed.getJobId()).isEqualTo("j1");
            assertThat(completed.getAttempt()).isEqualTo(2);
            assertThat(completed.getStartedAt()).isEqualTo(STARTED);
            assertThat(completed.getFinishedAt()).isEqualTo(FINISHED);
        });
    }

    @Test
    void aFailedRunIsReportedAsThePipelineSawIt() {
        JobFailed failed = failure(TerminalEvents.runEnded(runningJob,
                Outcome.failed(FailureKind.PIPELINE, "rule x failed", 3), null, FINISHED));

        assertThat(failed.getAttempt()).isEqualTo(2);
        assertThat(failed.getStartedAt()).isEqualTo(STARTED);
        assertThat(failed.getFinishedAt()).isEqualTo(FINISHED);
        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.PIPELINE);
        assertThat(failed.getFailure().getReason()).isEqualTo("rule x failed");
        assertThat(failed.getFailure().getExitCode()).isEqualTo(3);
    }

    @Test
    void aPipelineThatFailedItselfIsASystemFailureNamingTheWrappedCause() {
        Throwable wrapped = new CompletionException(new ExecutionException(new IllegalArgumentException("bang")));

        JobFailed failed = failure(TerminalEvents.runEnded(runningJob, null, wrapped, FINISHED));

        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.SYSTEM);
        assertThat(failed.getFailure().getReason())
                .isEqualTo("the test pipeline failed unexpectedly: java.lang.IllegalArgumentException: bang");
        assertThat(failed.getFailure().getExitCode()).isNull();
        assertThat(failed.getStartedAt()).isEqualTo(STARTED);
    }

    @Test
    void aCancelledRunIsASystemFailure() {
        JobFailed failed = failure(TerminalEvents.runEnded(runningJob, null,
                new CompletionException(new CancellationException()), FINISHED));

        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.SYSTEM);
        assertThat(failed.getFailure().getReason()).isEqualTo("the test pipeline run was cancelled");
    }

    @Test
    void aRunWithoutOutcomeIsASystemFailure() {
        JobFailed failed = failure(TerminalEvents.runEnded(runningJob, null, null, FINISHED));

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
