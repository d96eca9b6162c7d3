package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jobline.processor.pipeline.MockPipeline.MockRun;
import io.jobline.schemas.FailureKind;

class MockPipelineTest {

    private final List<MockPipeline> pipelines = new ArrayList<>();

    @AfterEach
    void closePipelines() {
        pipelines.forEach(MockPipeline::destroy);
    }

    private MockPipeline mock(Duration min, Duration max, double failureProbability, Long seed) {
        MockPipeline pipeline = new MockPipeline(new MockPipelineProperties(true, min, max, failureProbability, seed, null));
        pipelines.add(pipeline);
        return pipeline;
    }

    private static JobSpec job(Map<String, String> parameters) {
        return new JobSpec("job-1", 1, "alice", "mock", parameters);
    }

    @Test
    void isTheMockWorkflow() {
        assertThat(mock(Duration.ZERO, Duration.ZERO, 0, null).workflow()).isEqualTo("mock");
    }

    @Test
    void drawsDurationsWithinTheBounds() throws Exception {
        MockPipeline pipeline = mock(Duration.ofMillis(1000), Duration.ofMillis(3000), 0, 7L);
        long shortest = Long.MAX_VALUE;
        long longest = Long.MIN_VALUE;
        for (int i = 0; i < 2000; i++) {
            long millis = pipeline.prepare(job(Map.of())).duration().toMillis();
            assertThat(millis).isBetween(1000L, 3000L);
            shortest = Math.min(shortest, millis);
            longest = Math.max(longest, millis);
        }
        // uniform over 2001 values: 2000 draws come close to both ends
        assertThat(shortest).isLessThan(1050);
        assertThat(longest).isGreaterThan(2950);
    }

    @Test
    void usesAFixedDurationWhenTheBoundsAreEqual() throws Exception {
        MockPipeline pipeline = mock(Duration.ofMillis(1500), Duration.ofMillis(1500), 0, null);
        for (int i = 0; i < 50; i++) {
            assertThat(pipeline.prepare(job(Map.of())).duration()).isEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void failsAtTheConfiguredRate() throws Exception {
        MockPipeline pipeline = mock(Duration.ZERO, Duration.ZERO, 0.3, 42L);
        int failures = 0;
        for (int i = 0; i < 1000; i++) {
            Outcome outcome = pipeline.prepare(job(Map.of())).outcome();
            if (outcome instanceof Outcome.Failed failed) {
                failures++;
                assertThat(failed.kind()).isEqualTo(FailureKind.PIPELINE);
                assertThat(failed.exitCode()).isEqualTo(1);
                assertThat(failed.reason()).contains("mock pipeline").contains("at random");
            }
        }
        // binomial(1000, 0.3): standard deviation 14.5, so 250..350 is more than 3 sigma either way
        assertThat(failures).isBetween(250, 350);
    }

    @Test
    void theSameSeedGivesTheSameRuns() throws Exception {
        MockPipeline first = mock(Duration.ofMillis(10), Duration.ofMillis(5000), 0.5, 1234L);
        MockPipeline second = mock(Duration.ofMillis(10), Duration.ofMillis(5000), 0.5, 1234L);
        for (int i = 0; i < 100; i++) {
            MockRun a = first.prepare(job(Map.of()));
            MockRun b = second.prepare(job(Map.of()));
            assertThat(a.duration()).isEqualTo(b.duration());
            assertThat(a.outcome()).isEqualTo(b.outcome());
        }
    }

    @Test
    void neverFailsAtProbabilityZeroAndAlwaysAtOne() throws Exception {
        MockPipeline never = mock(Duration.ZERO, Duration.ZERO, 0.0, null);
        MockPipeline always = mock(Duration.ZERO, Duration.ZERO, 1.0, null);
        for (int i = 0; i < 200; i++) {
            assertThat(never.prepare(job(Map.of())).outcome()).isInstanceOf(Outcome.Succeeded.class);
            assertThat(always.prepare(job(Map.of())).outcome()).isInstanceOf(Outcome.Failed.class);
        }
    }

    @Test
    void theJobCanOverrideDurationAndOutcome() throws Exception {
        MockPipeline pipeline = mock(Duration.ofSeconds(1), Duration.ofSeconds(3), 1.0, null);
        MockRun fast = pipeline.prepare(job(Map.of("mock.duration_ms", "25", "mock.outcome", "succeed")));
        assertThat(fast.duration()).isEqualTo(Duration.ofMillis(25));
        assertThat(fast.outcome()).isInstanceOf(Outcome.Succeeded.class);

        MockRun failing = mock(Duration.ZERO, Duration.ZERO, 0.0, null)
                .prepare(job(Map.of("mock.outcome", "fail", "mock.duration_ms", "0")));
        assertThat(failing.duration()).isZero();
        assertThat(failing.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(FailureKind.PIPELINE);
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.reason()).contains("mock pipeline").contains("mock.outcome=fail");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5", "-1", "86400001", "99999999999999999999", "10ms"})
    void anInvalidDurationOverrideCannotStart(String value) {
        MockPipeline pipeline = mock(Duration.ZERO, Duration.ZERO, 0, null);
        assertThatThrownBy(() -> pipeline.prepare(job(Map.of("mock.duration_ms", value))))
                .isInstanceOf(CannotStartException.class)
                .hasMessageContaining("mock.duration_ms")
                .hasMessageContaining("'" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "succeeded", "failure", "true", "0"})
    void anInvalidOutcomeOverrideCannotStart(String value) {
        MockPipeline pipeline = mock(Duration.ZERO, Duration.ZERO, 0, null);
        assertThatThrownBy(() -> pipeline.prepare(job(Map.of("mock.outcome", value))))
                .isInstanceOf(CannotStartException.class)
                .hasMessageContaining("mock.outcome")
                .hasMessageContaining("'" + value + "'");
    }

    @Test
    void overridesAreTrimmedAndTheOutcomeIsCaseInsensitive() throws Exception {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("mock.duration_ms", " 40 ");
        parameters.put("mock.outcome", "FAIL");
        MockRun run = mock(Duration.ZERO, Duration.ZERO, 0, null).prepare(job(parameters));
        assertThat(run.duration()).isEqualTo(Duration.ofMillis(40));
        assertThat(run.outcome()).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void aRunCompletesAfterItsDuration() throws Exception {
        MockRun run = mock(Duration.ZERO, Duration.ZERO, 0, null)
                .prepare(job(Map.of("mock.duration_ms", "150", "mock.outcome", "fail")));
        long begin = System.nanoTime();
        CompletableFuture<Outcome> future = run.start(RunListener.IGNORE).outcome();
        assertThat(future).isNotDone();
        Outcome outcome = future.get(5, TimeUnit.SECONDS);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(140);
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void manyRunsShareOneSchedulerThread() throws Exception {
        MockPipeline pipeline = mock(Duration.ofMillis(200), Duration.ofMillis(200), 0, null);
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(pipeline.prepare(job(Map.of())).start(RunListener.IGNORE).outcome());
        }
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 1);
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(Outcome.Succeeded.class));
    }

    @Test
    void aStoppedRunEndsStoppedAtOnce() throws Exception {
        MockRun run = mock(Duration.ofSeconds(30), Duration.ofSeconds(30), 0, null).prepare(job(Map.of()));
        PipelineRun started = run.start(RunListener.IGNORE);
        started.stop();
        assertThat(started.outcome().get(1, TimeUnit.SECONDS)).isInstanceOf(Outcome.Stopped.class);
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThatThrownBy(() -> new MockPipelineProperties(true, Duration.ofSeconds(3), Duration.ofSeconds(1), 0, null, null))
                .hasMessageContaining("jobline.mock.max-duration");
        assertThatThrownBy(() -> new MockPipelineProperties(true, Duration.ZERO, Duration.ZERO, 1.5, null, null))
                .hasMessageContaining("jobline.mock.failure-probability");
        assertThatThrownBy(() -> new MockPipelineProperties(true, Duration.ofMillis(-1), Duration.ZERO, 0, null, null))
                .hasMessageContaining("jobline.mock.min-duration");
    }
}
