package io.jobline.processor.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.stereotype.Component;

import io.jobline.processor.ProcessorProperties;
import io.jobline.processor.events.EventPublisher;
import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Outcome;
import io.jobline.processor.pipeline.PipelineRun;
import io.jobline.processor.pipeline.PreparedRun;
import io.jobline.processor.pipeline.RunListener;
import io.jobline.schemas.JobEvent;

/**
 * Runs started jobs off the Kafka consumer thread, each in one of its {@link JobSlots}. While an attempt runs, its
 * {@link RunReporter} writes its progress, output lines and heartbeats; it ends with one terminal event
 * ({@code JobCompleted}, {@code JobFailed} or {@code JobCancelled}), written by its {@link TerminalEventWriter}. A job
 * keeps its slot until that event is written, so a full runner pauses the intake rather than outrun Kafka. A run is
 * stopped when its job is cancelled, when it exceeds its workflow's maximum run time, or at shutdown.
 *
 * <p>As a {@link SmartLifecycle} it stops after the Kafka listener containers (a lower phase stops later): by then no
 * new job can start, and it waits up to {@code jobline.processor.shutdown-grace} for the running ones to finish and
 * report. Jobs still running after that are stopped and reported as {@code WORKER_LOST}, so that the supervisor
 * retries them on another instance, and no attempt this instance started is left without a terminal event when the
 * broker can be reached.
 */
@Component
public class JobRunner implements SmartLifecycle {

    /** Stops after the listener containers ({@link AbstractMessageListenerContainer#DEFAULT_PHASE}). */
    public static final int PHASE = AbstractMessageListenerContainer.DEFAULT_PHASE - 100;

    /** After the shutdown grace, how long terminal events may still take to be written. */
    static final Duration PUBLISH_GRACE = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final ProcessorProperties properties;
    private final JobSlots slots;
    private final TerminalEventWriter terminalEvents;
    private final RunReporter reporter;
    private final Duration publishGrace;
    private final Clock clock;
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private volatile ExecutorService executor;
    private volatile ScheduledExecutorService timers;
    private volatile boolean lifecycleRunning;

    @Autowired
    public JobRunner(EventPublisher publisher, ObjectProvider<Backpressure> backpressure, ProcessorProperties properties,
            ObjectProvider<MeterRegistry> meterRegistry) {
        this(properties, slots(properties, backpressure), new TerminalEventWriter(publisher, Clock.systemUTC()),
                new RunReporter(publisher, properties.workerId(), properties.heartbeatInterval(),
                        properties.maxLogLines(), Clock.systemUTC()),
                PUBLISH_GRACE, Clock.systemUTC());
        meterRegistry.ifAvailable(slots::registerGauges);
    }

    JobRunner(ProcessorProperties properties, JobSlots slots, TerminalEventWriter terminalEvents, RunReporter reporter,
            Duration publishGrace, Clock clock) {
        this.properties = properties;
        this.slots = slots;
        this.terminalEvents = terminalEvents;
        this.reporter = reporter;
        this.publishGrace = publishGrace;
        this.clock = clock;
    }

    private static JobSlots slots(ProcessorProperties properties, ObjectProvider<Backpressure> backpressure) {
        return new JobSlots(properties.maxConcurrentJobs(), () -> backpressure.getIfAvailable(() -> Backpressure.NONE),
                Clock.systemUTC());
    }

    // ---- slots -------------------------------------------------------------------------------------------------

    /** Takes a slot for a job about to start; see {@link JobSlots#acquire()}. */
    public Slot acquireSlot() throws InterruptedException {
        return slots.acquire();
    }

    /** Slots taken now: jobs running or about to start, or whose terminal event is still being written. */
    public int runningJobs() {
        return slots.inUse();
    }

    /** The most slots ever taken at once since start-up. */
    public int peakRunningJobs() {
        return slots.peakInUse();
    }

    public int maxConcurrentJobs() {
        return slots.max();
    }

    /** Whether this instance is running (or finishing) the given job. */
    public boolean isRunningJob(String jobId) {
        return running.containsKey(jobId);
    }

    /** Whether this instance is running (or finishing) the given attempt of the job, or a later one. */
    public boolean isRunningJob(String jobId, int attempt) {
        RunningJob runningJob = running.get(jobId);
        return runningJob != null && runningJob.job.attempt() >= attempt;
    }

    // ---- running -----------------------------------------------------------------------------------------------

    /**
     * Starts a job whose {@code JobStarted} event has been committed. Returns at once: the run starts on a runner
     * thread, and its terminal event is written when it ends. The slot is released after that event is written.
     *
     * @param maxRunTime after this long the run is stopped and fails with {@code TIMEOUT}; null for no limit
     */
    public void launch(Slot slot, JobSpec job, Instant startedAt, PreparedRun run, Duration maxRunTime) {
        RunningJob runningJob = new RunningJob(job, startedAt, slot);
        running.put(job.jobId(), runningJob);
        try {
            execute(() -> startRun(runningJob, run, maxRunTime));
        } catch (RejectedExecutionException e) {
            finish(runningJob, null, new IllegalStateException("the job runner is not running", e));
        }
    }

    /** Stops the job if this instance runs it; it ends {@code JobCancelled}. Returns whether it runs here. */
    public boolean cancel(String jobId, String requestedBy) {
        RunningJob runningJob = running.get(jobId);
        if (runningJob == null) {
            return false;
        }
        log.info("job {} attempt {}: cancelled by {}, stopping it", jobId, runningJob.job.attempt(), requestedBy);
        runningJob.stop(new StopReason.Cancelled(requestedBy));
        return true;
    }

    /**
     * Stops an older attempt of the job if this instance runs one, without a terminal event: a newer attempt was
     * started because this one was given up for lost.
     */
    public void supersede(String jobId, int newerAttempt) {
        RunningJob runningJob = running.get(jobId);
        if (runningJob != null && runningJob.job.attempt() < newerAttempt) {
            log.warn("job {}: attempt {} runs here but attempt {} was requested; stopping this one",
                    jobId, runningJob.job.attempt(), newerAttempt);
            runningJob.stop(new StopReason.Superseded(newerAttempt));
        }
    }

    private void execute(Runnable task) {
        ExecutorService current = executor;
        if (current == null) {
            throw new RejectedExecutionException("the job runner has not started");
        }
        current.execute(task);
    }

    private void startRun(RunningJob runningJob, PreparedRun run, Duration maxRunTime) {
        RunListener listener = reporter.report(runningJob.job, runningJob.startedAt);
        PipelineRun pipelineRun = startOrFail(run, listener);
        runningJob.started(pipelineRun);
        log.info("job {} attempt {} is running", runningJob.job.jobId(), runningJob.job.attempt());
        ScheduledFuture<?> timeout = maxRunTime == null ? null : timers.schedule(
                () -> runningJob.stop(new StopReason.TimedOut(maxRunTime)), maxRunTime.toMillis(),
                TimeUnit.MILLISECONDS);
        pipelineRun.outcome().whenComplete((outcome, failure) -> {
            if (timeout != null) {
                timeout.cancel(false);
            }
            finishOnRunnerThread(runningJob, outcome, failure);
        });
    }

    /** The started run; a pipeline that throws, or returns no run, gives a run that failed. */
    private static PipelineRun startOrFail(PreparedRun run, RunListener listener) {
        try {
            PipelineRun started = run.start(listener);
            return started != null ? started
                    : FailedRun.of(new IllegalStateException("the pipeline returned no run"));
        } catch (Throwable e) {
            return FailedRun.of(e);
        }
    }

    /** Leaves the thread that completed the run (the pipeline's own) free of the Kafka write. */
    private void finishOnRunnerThread(RunningJob runningJob, Outcome outcome, Throwable failure) {
        try {
            execute(() -> finish(runningJob, outcome, failure));
        } catch (RejectedExecutionException e) {
            finish(runningJob, outcome, failure);
        }
    }

    private void finish(RunningJob runningJob, Outcome outcome, Throwable failure) {
        if (!runningJob.claimReport()) {
            return; // the shutdown reported it already
        }
        JobEvent event = TerminalEvents.runEnded(runningJob, outcome, failure, properties.workerId(), now());
        if (event == null) {
            reporter.finish(runningJob.job.jobId());
            forget(runningJob);
            return;
        }
        report(runningJob, () -> event);
    }

    /** Writes the attempt's terminal event; the job keeps its slot until that is written or given up. */
    private void report(RunningJob runningJob, Supplier<JobEvent> terminalEvent) {
        try {
            List<ProducerRecord<String, Object>> pending = reporter.finish(runningJob.job.jobId());
            terminalEvents.write(pending, terminalEvent.get())
                    .whenComplete((written, notWritten) -> forget(runningJob));
        } catch (RuntimeException | Error e) {
            forget(runningJob);
            throw e;
        }
    }

    private void forget(RunningJob runningJob) {
        running.remove(runningJob.job.jobId(), runningJob);
        runningJob.slot.release();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Starts before the listener containers (a lower phase starts earlier). */
    @Override
    public void start() {
        executor = Executors.newCachedThreadPool(DaemonThreads.named("jobline-runner-"));
        timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("jobline-run-timers-"));
        reporter.start(properties.reportInterval());
        terminalEvents.retryUntilWritten();
        slots.resumeIntakeWhenFreed();
        lifecycleRunning = true;
    }

    @Override
    public void stop() {
        Instant graceEnd = clock.instant().plus(properties.shutdownGrace());
        Instant publishDeadline = graceEnd.plus(publishGrace);
        slots.stopResumingIntake();
        terminalEvents.giveUpAt(publishDeadline);
        try {
            awaitRunningJobs(graceEnd, publishDeadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
            timers.shutdownNow();
            reporter.stop();
            lifecycleRunning = false;
        }
    }

    private void awaitRunningJobs(Instant graceEnd, Instant publishDeadline) throws InterruptedException {
        int count = slots.inUse();
        if (count > 0) {
            log.info("shutting down: waiting up to {} for {} running job(s) to finish", properties.shutdownGrace(),
                    count);
        }
        if (slots.awaitAllFree(graceEnd)) {
            return;
        }
        stopRunningJobs();
        if (!slots.awaitAllFree(graceEnd.plus(publishGrace.dividedBy(2)))) {
            reportRunningJobsLost();
        }
        slots.awaitAllFree(publishDeadline);
    }

    /** Stops what still runs after the grace; each ends {@code WORKER_LOST}, so that the supervisor retries it. */
    private void stopRunningJobs() {
        List<RunningJob> left = List.copyOf(running.values());
        log.warn("shutdown grace of {} elapsed with {} job(s) still running: stopping them, to be retried elsewhere",
                properties.shutdownGrace(), left.size());
        left.forEach(job -> job.stop(new StopReason.ShuttingDown(properties.shutdownGrace())));
    }

    /** Reports the jobs whose runs did not even stop in time as lost, without waiting for them any longer. */
    private void reportRunningJobsLost() {
        for (RunningJob runningJob : List.copyOf(running.values())) {
            if (runningJob.claimReport()) {
                report(runningJob, () -> TerminalEvents.workerLost(runningJob, properties.workerId(),
                        properties.shutdownGrace(), now()));
            }
        }
    }

    @Override
    public boolean isRunning() {
        return lifecycleRunning;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
