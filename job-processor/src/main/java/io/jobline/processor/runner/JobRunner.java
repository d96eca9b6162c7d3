package io.jobline.processor.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
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
import io.jobline.processor.pipeline.PreparedRun;
import io.jobline.schemas.JobEvent;

/**
 * Runs started jobs off the Kafka consumer thread, each in one of its {@link JobSlots}, and ends each attempt with one
 * terminal event ({@code JobCompleted} or {@code JobFailed}), written by its {@link TerminalEventWriter}. A job keeps
 * its slot until that event is written, so a full runner pauses the intake rather than outrun Kafka.
 *
 * <p>As a {@link SmartLifecycle} it stops after the Kafka listener containers (a lower phase stops later): by then no
 * new job can start, and it waits up to {@code jobline.processor.shutdown-grace} for the running ones to finish and
 * report. Jobs still running after that are cancelled and reported as {@code WORKER_LOST}, so that no attempt this
 * instance started is left without a terminal event when the broker can be reached.
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
    private final Duration publishGrace;
    private final Clock clock;
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private volatile ExecutorService executor;
    private volatile boolean lifecycleRunning;

    @Autowired
    public JobRunner(EventPublisher publisher, ObjectProvider<Backpressure> backpressure, ProcessorProperties properties,
            ObjectProvider<MeterRegistry> meterRegistry) {
        this(properties, slots(properties, backpressure), new TerminalEventWriter(publisher, Clock.systemUTC()),
                PUBLISH_GRACE, Clock.systemUTC());
        meterRegistry.ifAvailable(slots::registerGauges);
    }

    JobRunner(ProcessorProperties properties, JobSlots slots, TerminalEventWriter terminalEvents,
            Duration publishGrace, Clock clock) {
        this.properties = properties;
        this.slots = slots;
        this.terminalEvents = terminalEvents;
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

    // ---- running -----------------------------------------------------------------------------------------------

    /**
     * Starts a job whose {@code JobStarted} event has been committed. Returns at once: the run starts on a runner
     * thread, and its terminal event is written when it ends. The slot is released after that event is written.
     */
    public void launch(Slot slot, JobSpec job, Instant startedAt, PreparedRun run) {
        RunningJob runningJob = new RunningJob(job, startedAt, slot);
        running.put(job.jobId(), runningJob);
        try {
            execute(() -> startRun(runningJob, run));
        } catch (RejectedExecutionException e) {
            finish(runningJob, null, new IllegalStateException("the job runner is not running", e));
        }
    }

    private void execute(Runnable task) {
        ExecutorService current = executor;
        if (current == null) {
            throw new RejectedExecutionException("the job runner has not started");
        }
        current.execute(task);
    }

    private void startRun(RunningJob runningJob, PreparedRun run) {
        CompletableFuture<Outcome> future = startOrFail(run);
        runningJob.started(future);
        log.info("job {} attempt {} is running", runningJob.job.jobId(), runningJob.job.attempt());
        future.whenComplete((outcome, failure) -> finishOnRunnerThread(runningJob, outcome, failure));
    }

    /** The run's future; a pipeline that throws, or returns no future, gives a run that failed. */
    private static CompletableFuture<Outcome> startOrFail(PreparedRun run) {
        try {
            CompletableFuture<Outcome> future = run.start();
            return future != null ? future
                    : CompletableFuture.failedFuture(new IllegalStateException("the pipeline returned no run"));
        } catch (Throwable e) {
            return CompletableFuture.failedFuture(e);
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
        report(runningJob, () -> TerminalEvents.runEnded(runningJob, outcome, failure, now()));
    }

    /** Writes the attempt's terminal event; the job keeps its slot until that is written or given up. */
    private void report(RunningJob runningJob, Supplier<JobEvent> terminalEvent) {
        try {
            terminalEvents.write(terminalEvent.get()).whenComplete((written, notWritten) -> forget(runningJob));
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
            lifecycleRunning = false;
        }
    }

    private void awaitRunningJobs(Instant graceEnd, Instant publishDeadline) throws InterruptedException {
        int count = slots.inUse();
        if (count > 0) {
            log.info("shutting down: waiting up to {} for {} running job(s) to finish", properties.shutdownGrace(),
                    count);
        }
        if (!slots.awaitAllFree(graceEnd)) {
            reportRunningJobsLost();
            slots.awaitAllFree(publishDeadline);
        }
    }

    private void reportRunningJobsLost() {
        List<RunningJob> left = List.copyOf(running.values());
        log.warn("shutdown grace of {} elapsed with {} job(s) still running: reporting them as lost",
                properties.shutdownGrace(), left.size());
        left.forEach(this::reportLost);
    }

    private void reportLost(RunningJob runningJob) {
        if (!runningJob.claimReport()) {
            return; // finished meanwhile: its own report is on the way
        }
        runningJob.cancel();
        report(runningJob, () -> TerminalEvents.workerLost(runningJob, properties.workerId(),
                properties.shutdownGrace(), now()));
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
