package io.jobline.processor.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import io.jobline.processor.ProcessorProperties;
import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Outcome;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobFailed;

/** The runner with its slots and writer: launching, finishing, and shutting down. The parts alone have tests too. */
class JobRunnerTest {

    private final RecordingPublisher publisher = new RecordingPublisher();
    private final RecordingBackpressure backpressure = new RecordingBackpressure();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private JobRunner runner;

    /** Wired as Spring wires it. */
    private JobRunner runner(int maxConcurrentJobs, Duration shutdownGrace) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("backpressure", backpressure);
        beans.addBean("meters", meters);
        runner = new JobRunner(publisher, beans.getBeanProvider(Backpressure.class),
                properties(maxConcurrentJobs, shutdownGrace), beans.getBeanProvider(MeterRegistry.class));
        runner.start();
        return runner;
    }

    /** With a publish grace shorter than the production one, to see writes given up without waiting 10 s. */
    private JobRunner runner(int maxConcurrentJobs, Duration shutdownGrace, Duration publishGrace) {
        Clock clock = Clock.systemUTC();
        runner = new JobRunner(properties(maxConcurrentJobs, shutdownGrace),
                new JobSlots(maxConcurrentJobs, () -> backpressure, clock), new TerminalEventWriter(publisher, clock),
                new RunReporter(publisher, "worker-1", Duration.ofSeconds(5), 1000, clock), publishGrace, clock);
        runner.start();
        return runner;
    }

    private static ProcessorProperties properties(int maxConcurrentJobs, Duration shutdownGrace) {
        return new ProcessorProperties("worker-1", maxConcurrentJobs, shutdownGrace, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(5), 1000, Duration.ofMinutes(10));
    }

    @AfterEach
    void stopRunner() {
        if (runner != null && runner.isRunning()) {
            runner.stop();
        }
    }

    private static JobSpec job(String id) {
        return new JobSpec(id, 1, "alice", "test", Map.of());
    }

    @Test
    void countsItsSlotsInItsGaugesAndPausesTheBackpressureBean() throws Exception {
        JobRunner runner = runner(2, Duration.ofSeconds(1));
        assertThat(runner.maxConcurrentJobs()).isEqualTo(2);
        assertThat(meters.get("jobline.processor.jobs.slots").gauge().value()).isEqualTo(2.0);
        Slot first = runner.acquireSlot();
        Slot second = runner.acquireSlot();
        assertThat(backpressure.pauses).hasValue(1);
        assertThat(runner.runningJobs()).isEqualTo(2);
        assertThat(meters.get("jobline.processor.jobs.running").gauge().value()).isEqualTo(2.0);

        second.release();
        assertThat(backpressure.resumes).hasValue(1);
        first.release();
        assertThat(runner.runningJobs()).isZero();
        assertThat(meters.get("jobline.processor.jobs.running").gauge().value()).isZero();
        assertThat(runner.peakRunningJobs()).isEqualTo(2);
    }

    @Test
    void reportsASuccessfulRunAndFreesItsSlot() throws Exception {
        JobRunner runner = runner(2, Duration.ofSeconds(1));
        Instant startedAt = Instant.parse("2026-01-01T00:00:00Z");
        runner.launch(runner.acquireSlot(), job("j1"), startedAt,
                listener -> TestRun.completed(Outcome.succeeded()), null);

        await().atMost(Duration.ofSeconds(5)).until(() -> runner.runningJobs() == 0);
        assertThat(publisher.events).singleElement().satisfies(event -> {
            assertThat(event.getJobId()).isEqualTo("j1");
            assertThat(event.getEvent()).isInstanceOfSatisfying(JobCompleted.class, completed -> {
                assertThat(completed.getAttempt()).isEqualTo(1);
                assertThat(completed.getStartedAt()).isEqualTo(startedAt);
                assertThat(completed.getFinishedAt()).isAfter(startedAt);
            });
        });
        assertThat(runner.isRunningJob("j1")).isFalse();
    }

    @Test
    void reportsAPipelineFailureAsItWasGiven() throws Exception {
        JobRunner runner = runner(2, Duration.ofSeconds(1));
        runner.launch(runner.acquireSlot(), job("j2"), Instant.now(), listener -> TestRun.completed(Outcome.failed(FailureKind.PIPELINE, "rule x failed", 3)), null);

        JobFailed failed = awaitFailure("j2");
        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.PIPELINE);
        assertThat(failed.getFailure().getReason()).isEqualTo("rule x failed");
        assertThat(failed.getFailure().getExitCode()).isEqualTo(3);
        assertThat(failed.getStartedAt()).isNotNull();
    }

    @Test
    void aPipelineThatThrowsIsASystemFailure() throws Exception {
        JobRunner runner = runner(2, Duration.ofSeconds(1));
        runner.launch(runner.acquireSlot(), job("j3"), Instant.now(), listener -> {
            throw new IllegalStateException("boom");
        }, null);
        runner.launch(runner.acquireSlot(), job("j4"), Instant.now(),
                listener -> TestRun.of(CompletableFuture.failedFuture(new IllegalArgumentException("bang"))), null);

        JobFailed thrown = awaitFailure("j3");
        assertThat(thrown.getFailure().getKind()).isEqualTo(FailureKind.SYSTEM);
        assertThat(thrown.getFailure().getReason()).contains("boom");
        assertThat(thrown.getFailure().getExitCode()).isNull();
        JobFailed failedFuture = awaitFailure("j4");
        assertThat(failedFuture.getFailure().getKind()).isEqualTo(FailureKind.SYSTEM);
        assertThat(failedFuture.getFailure().getReason()).contains("bang");
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.runningJobs() == 0);
    }

    @Test
    void aPipelineThatReturnsNoRunIsASystemFailure() throws Exception {
        JobRunner runner = runner(2, Duration.ofSeconds(1));
        runner.launch(runner.acquireSlot(), job("j8"), Instant.now(), listener -> null, null);

        JobFailed failed = awaitFailure("j8");
        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.SYSTEM);
        assertThat(failed.getFailure().getReason()).contains("the pipeline returned no run");
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.runningJobs() == 0);
    }

    @Test
    void retriesATerminalEventUntilKafkaTakesItAndHoldsTheSlotUntilThen() throws Exception {
        JobRunner runner = runner(2, Duration.ofSeconds(1));
        publisher.failuresToCome.set(2);
        AtomicInteger slotsInUseWhenWritten = new AtomicInteger(-1);
        publisher.onWrite = () -> slotsInUseWhenWritten.set(runner.runningJobs());
        runner.launch(runner.acquireSlot(), job("j5"), Instant.now(),
                listener -> TestRun.completed(Outcome.succeeded()), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> runner.runningJobs() == 0);
        assertThat(publisher.attempts).hasValue(3);
        assertThat(publisher.events).hasSize(1);
        assertThat(slotsInUseWhenWritten).hasValue(1);
        assertThat(runner.isRunningJob("j5")).isFalse();
    }

    @Test
    void stopWaitsForRunningJobsToReport() throws Exception {
        JobRunner runner = runner(2, Duration.ofSeconds(5));
        CompletableFuture<Outcome> run = new CompletableFuture<>();
        runner.launch(runner.acquireSlot(), job("j6"), Instant.now(), listener -> TestRun.of(run), null);
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> run.complete(Outcome.succeeded()));

        long begin = System.nanoTime();
        runner.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(publisher.events).singleElement()
                .satisfies(event -> assertThat(event.getEvent()).isInstanceOf(JobCompleted.class));
        assertThat(runner.isRunning()).isFalse();
        assertThat(backpressure.resumes).hasValue(0); // no resuming while shutting down
    }

    @Test
    void jobsStillRunningAfterTheGraceAreReportedLost() throws Exception {
        JobRunner runner = runner(2, Duration.ofMillis(200));
        TestRun never = TestRun.of(new CompletableFuture<>());
        runner.launch(runner.acquireSlot(), job("j7"), Instant.now(), listener -> never, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.isRunningJob("j7"));

        runner.stop();
        JobFailed lost = (JobFailed) publisher.events.get(0).getEvent();
        assertThat(lost.getFailure().getKind()).isEqualTo(FailureKind.WORKER_LOST);
        assertThat(lost.getFailure().getReason()).contains("worker-1");
        assertThat(never.stopped).isTrue();
        assertThat(publisher.events).hasSize(1); // the cancellation does not report a second time
        assertThat(runner.runningJobs()).isZero();
    }

    @Test
    void aTerminalEventKafkaRefusesDuringShutdownIsGivenUpAtTheDeadlineAndItsSlotFreed() throws Exception {
        JobRunner runner = runner(2, Duration.ofMillis(200), Duration.ofMillis(600));
        publisher.failAlways();
        runner.launch(runner.acquireSlot(), job("j9"), Instant.now(),
                listener -> TestRun.completed(Outcome.succeeded()), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.attempts.get() > 0);

        // deadline at 800 ms; attempts at about 0, 250 and 750 ms, the next at 1750 ms
        long begin = System.nanoTime();
        runner.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1500));
        await().atMost(Duration.ofMillis(500)).until(() -> runner.runningJobs() == 0);
        assertThat(runner.isRunningJob("j9")).isFalse();
        assertThat(publisher.attempts.get()).isGreaterThanOrEqualTo(2);
        assertThat(publisher.events).isEmpty();
        assertThat(runner.isRunning()).isFalse();
    }

    @Test
    void aLostJobKafkaRefusesToHearOfIsGivenUpAtTheDeadlineAndItsSlotFreed() throws Exception {
        JobRunner runner = runner(2, Duration.ofMillis(200), Duration.ofMillis(800));
        publisher.failAlways();
        TestRun never = TestRun.of(new CompletableFuture<>());
        runner.launch(runner.acquireSlot(), job("j10"), Instant.now(), listener -> never, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.isRunningJob("j10"));

        // deadline at 1000 ms; attempts at about 200, 450 and 950 ms, the next at 1950 ms
        long begin = System.nanoTime();
        runner.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isBetween(Duration.ofMillis(950), Duration.ofMillis(1800));
        await().atMost(Duration.ofMillis(500)).until(() -> runner.runningJobs() == 0);
        assertThat(never.stopped).isTrue();
        assertThat(runner.isRunningJob("j10")).isFalse();
        assertThat(publisher.attempts.get()).isGreaterThanOrEqualTo(2);
        assertThat(publisher.events).isEmpty();
    }

    private JobFailed awaitFailure(String jobId) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> publisher.events.stream().anyMatch(e -> e.getJobId().equals(jobId)));
        return publisher.events.stream().filter(e -> e.getJobId().equals(jobId))
                .map(e -> (JobFailed) e.getEvent()).findFirst().orElseThrow();
    }
}
