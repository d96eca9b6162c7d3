package io.jobline.processor.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

import io.jobline.schemas.FailureKind;

/**
 * The {@code mock} workflow: waits, then succeeds or fails, without running anything. Runs are timed by one scheduler
 * thread, so a thousand waiting mock jobs cost no thread each.
 *
 * <p>Per-job overrides, from the job's parameters: {@code mock.duration_ms} (an integer number of milliseconds,
 * 0..86400000) and {@code mock.outcome} ({@code succeed} or {@code fail}). A job with an invalid override cannot start.
 */
@Component
@ConditionalOnBooleanProperty(name = "jobline.mock.enabled", matchIfMissing = true)
public class MockPipeline implements Pipeline, DisposableBean {

    public static final String WORKFLOW = "mock";
    public static final String DURATION_PARAMETER = "mock.duration_ms";
    public static final String OUTCOME_PARAMETER = "mock.outcome";
    static final long MAX_DURATION_MS = Duration.ofDays(1).toMillis();
    static final int EXIT_CODE = 1;

    private final MockPipelineProperties properties;
    private final Random random;
    private final ScheduledThreadPoolExecutor scheduler;

    public MockPipeline(MockPipelineProperties properties) {
        this.properties = properties;
        this.random = properties.seed() == null ? new Random() : new Random(properties.seed());
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "jobline-mock-pipeline");
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    @Override
    public String workflow() {
        return WORKFLOW;
    }

    @Override
    public MockRun prepare(JobSpec job) throws CannotStartException {
        Duration duration = durationOf(job);
        Outcome outcome = outcomeOf(job);
        return new MockRun(job.jobId(), duration, outcome);
    }

    private Duration durationOf(JobSpec job) throws CannotStartException {
        String override = job.parameters().get(DURATION_PARAMETER);
        if (override != null) {
            long millis;
            try {
                millis = Long.parseLong(override.strip());
            } catch (NumberFormatException e) {
                millis = -1;
            }
            if (millis < 0 || millis > MAX_DURATION_MS) {
                throw new CannotStartException("parameter " + DURATION_PARAMETER
                        + " must be an integer number of milliseconds from 0 to " + MAX_DURATION_MS + ", got '"
                        + override + "'");
            }
            return Duration.ofMillis(millis);
        }
        long min = properties.minDuration().toMillis();
        long max = properties.maxDuration().toMillis();
        synchronized (random) {
            return Duration.ofMillis(min == max ? min : min + random.nextLong(max - min + 1));
        }
    }

    private Outcome outcomeOf(JobSpec job) throws CannotStartException {
        String override = job.parameters().get(OUTCOME_PARAMETER);
        if (override != null) {
            switch (override.strip().toLowerCase(Locale.ROOT)) {
                case "succeed":
                    return Outcome.succeeded();
                case "fail":
                    return Outcome.failed(FailureKind.PIPELINE,
                            "the mock pipeline failed because the job asked it to (" + OUTCOME_PARAMETER + "=fail)",
                            EXIT_CODE);
                default:
                    throw new CannotStartException("parameter " + OUTCOME_PARAMETER
                            + " must be 'succeed' or 'fail', got '" + override + "'");
            }
        }
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        if (draw < properties.failureProbability()) {
            return Outcome.failed(FailureKind.PIPELINE, "the mock pipeline failed at random (failure probability "
                    + properties.failureProbability() + ")", EXIT_CODE);
        }
        return Outcome.succeeded();
    }

    /** This mock under another workflow name (see {@code jobline.mock.workflows}). */
    public Pipeline named(String workflow) {
        MockPipeline mock = this;
        return new Pipeline() {
            @Override
            public String workflow() {
                return workflow;
            }

            @Override
            public MockRun prepare(JobSpec job) throws CannotStartException {
                return mock.prepare(job);
            }

            @Override
            public String toString() {
                return "mock pipeline '" + workflow + "' (jobline.mock.workflows)";
            }
        };
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }

    /** A planned mock run: it will take {@link #duration()}, in {@link #STEPS} steps, and end with {@link #outcome()}. */
    public final class MockRun implements PreparedRun {

        public static final int STEPS = 4;

        private final String jobId;
        private final Duration duration;
        private final Outcome outcome;

        MockRun(String jobId, Duration duration, Outcome outcome) {
            this.jobId = jobId;
            this.duration = duration;
            this.outcome = outcome;
        }

        public Duration duration() {
            return duration;
        }

        public Outcome outcome() {
            return outcome;
        }

        @Override
        public PipelineRun start(RunListener listener) {
            return new MockPipelineRun(listener);
        }

        @Override
        public String toString() {
            return "mock run of job " + jobId + " (" + duration.toMillis() + " ms, " + outcome + ")";
        }

        /** Steps through the run on the scheduler thread: one progress report and log line per step. */
        private final class MockPipelineRun implements PipelineRun {

            private final CompletableFuture<Outcome> result = new CompletableFuture<>();
            private final RunListener listener;
            private volatile ScheduledFuture<?> nextStep;
            private int done;

            MockPipelineRun(RunListener listener) {
                this.listener = listener;
                listener.progress(0, STEPS);
                listener.logLine("mock: running job " + jobId + " in " + STEPS + " steps of " + stepMillis() + " ms");
                scheduleNextStep();
            }

            private long stepMillis() {
                return duration.toMillis() / STEPS;
            }

            private synchronized void scheduleNextStep() {
                if (result.isDone()) {
                    return;
                }
                long delay = done == STEPS - 1 ? duration.toMillis() - stepMillis() * (STEPS - 1) : stepMillis();
                nextStep = scheduler.schedule(this::step, delay, TimeUnit.MILLISECONDS);
            }

            private void step() {
                synchronized (this) {
                    if (result.isDone()) {
                        return;
                    }
                    done++;
                }
                boolean last = done == STEPS;
                if (last && outcome instanceof Outcome.Failed failed) {
                    listener.logLine("mock: step " + done + " failed: " + failed.reason());
                    result.complete(new Outcome.Failed(failed.kind(), failed.reason(), failed.exitCode(),
                            List.of("mock: step " + done + " failed: " + failed.reason())));
                    return;
                }
                listener.logLine("mock: step " + done + " of " + STEPS + " done");
                listener.progress(done, STEPS);
                if (last) {
                    result.complete(outcome);
                } else {
                    scheduleNextStep();
                }
            }

            @Override
            public CompletableFuture<Outcome> outcome() {
                return result;
            }

            @Override
            public synchronized void stop() {
                if (result.isDone()) {
                    return;
                }
                ScheduledFuture<?> pending = nextStep;
                if (pending != null) {
                    pending.cancel(false);
                }
                listener.logLine("mock: stopped after " + done + " of " + STEPS + " steps");
                result.complete(new Outcome.Stopped(List.of("mock: stopped after " + done + " of " + STEPS + " steps")));
            }
        }
    }
}
