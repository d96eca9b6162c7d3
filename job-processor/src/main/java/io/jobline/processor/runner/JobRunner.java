package io.jobline.processor.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
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
import io.jobline.processor.events.JobEvents;
import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Outcome;
import io.jobline.processor.pipeline.PreparedRun;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobEvent;

/**
 * Runs started jobs off the Kafka consumer thread, at most {@code jobline.processor.max-concurrent-jobs} at once, and
 * writes each attempt's one terminal event ({@code JobCompleted} or {@code JobFailed}) in a Kafka transaction of its
 * own. While all slots are taken it tells its {@link Backpressure} (the command listener) to pause.
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
    private static final Duration MAX_PUBLISH_BACKOFF = Duration.ofSeconds(5);

    private final EventPublisher publisher;
    private final ObjectProvider<Backpressure> backpressureProvider;
    private final ProcessorProperties properties;
    private final Clock clock;
    private volatile ExecutorService executor;
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();

    private final Object slotLock = new Object();
    private int slotsInUse;
    private int peakSlotsInUse;

    private volatile boolean lifecycleRunning;
    private volatile boolean stopping;
    /** Null while running: failed publications are retried until they succeed. */
    private volatile Instant publishDeadline;

    @Autowired
    public JobRunner(EventPublisher publisher, ObjectProvider<Backpressure> backpressure, ProcessorProperties properties,
            ObjectProvider<MeterRegistry> meterRegistry) {
        this(publisher, backpressure, properties, meterRegistry, Clock.systemUTC());
    }

    JobRunner(EventPublisher publisher, ObjectProvider<Backpressure> backpressure, ProcessorProperties properties,
            ObjectProvider<MeterRegistry> meterRegistry, Clock clock) {
        this.publisher = publisher;
        this.backpressureProvider = backpressure;
        this.properties = properties;
        this.clock = clock;
        meterRegistry.ifAvailable(registry -> {
            Gauge.builder("jobline.processor.jobs.running", this, JobRunner::runningJobs)
                    .description("Jobs this processor is running").register(registry);
            Gauge.builder("jobline.processor.jobs.slots", this, runner -> runner.maxConcurrentJobs())
                    .description("Jobs this processor may run at once").register(registry);
        });
    }

    // ---- slots -------------------------------------------------------------------------------------------------

    /**
     * Takes a slot for a job about to start, pausing the source of work when this was the last free one. With one
     * consumer thread a slot is always free here (the listener is paused before the last one is taken); should
     * several threads race for the last slot, the losers wait for one to be released.
     */
    public Slot acquireSlot() throws InterruptedException {
        synchronized (slotLock) {
            int max = properties.maxConcurrentJobs();
            if (slotsInUse >= max) {
                log.warn("all {} job slots are taken; waiting for one to be released", max);
            }
            while (slotsInUse >= max) {
                slotLock.wait(1000);
            }
            slotsInUse++;
            peakSlotsInUse = Math.max(peakSlotsInUse, slotsInUse);
            if (slotsInUse == max) {
                log.debug("all {} job slots are taken: pausing the intake of commands", max);
                backpressure().pause();
            }
            return new Slot(this);
        }
    }

    void releaseSlot() {
        synchronized (slotLock) {
            slotsInUse--;
            slotLock.notifyAll();
            if (slotsInUse == properties.maxConcurrentJobs() - 1 && !stopping) {
                log.debug("a job slot is free: resuming the intake of commands");
                backpressure().resume();
            }
        }
    }

    private Backpressure backpressure() {
        return backpressureProvider.getIfAvailable(() -> Backpressure.NONE);
    }

    /** Slots taken now: jobs running or about to start. */
    public int runningJobs() {
        synchronized (slotLock) {
            return slotsInUse;
        }
    }

    /** The most slots ever taken at once since start-up. */
    public int peakRunningJobs() {
        synchronized (slotLock) {
            return peakSlotsInUse;
        }
    }

    public int maxConcurrentJobs() {
        return properties.maxConcurrentJobs();
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
            execute(() -> start(runningJob, run));
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

    private void start(RunningJob runningJob, PreparedRun run) {
        CompletableFuture<Outcome> future;
        try {
            future = run.start();
            if (future == null) {
                future = CompletableFuture.failedFuture(new IllegalStateException("the pipeline returned no run"));
            }
        } catch (Throwable e) {
            future = CompletableFuture.failedFuture(e);
        }
        runningJob.started(future);
        log.info("job {} attempt {} is running", runningJob.job.jobId(), runningJob.job.attempt());
        future.whenComplete((outcome, failure) -> {
            try {
                execute(() -> finish(runningJob, outcome, failure));
            } catch (RejectedExecutionException e) {
                finish(runningJob, outcome, failure);
            }
        });
    }

    private void finish(RunningJob runningJob, Outcome outcome, Throwable failure) {
        if (!runningJob.claimReport()) {
            return; // the shutdown reported it already
        }
        try {
            publishTerminal(terminalEvent(runningJob, outcome, failure, now()));
        } finally {
            running.remove(runningJob.job.jobId(), runningJob);
            runningJob.slot.release();
        }
    }

    JobEvent terminalEvent(RunningJob runningJob, Outcome outcome, Throwable failure, Instant finishedAt) {
        JobSpec job = runningJob.job;
        if (failure == null && outcome instanceof Outcome.Succeeded) {
            return JobEvents.completed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt);
        }
        if (failure == null && outcome instanceof Outcome.Failed failed) {
            return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, failed.kind(),
                    failed.reason(), failed.exitCode());
        }
        String reason;
        Throwable cause = unwrap(failure);
        if (cause == null) {
            reason = "the " + job.workflow() + " pipeline ended without an outcome";
        } else if (cause instanceof CancellationException) {
            reason = "the " + job.workflow() + " pipeline run was cancelled";
        } else {
            reason = "the " + job.workflow() + " pipeline failed unexpectedly: " + cause;
            log.error("job {}: the {} pipeline failed unexpectedly", job.jobId(), job.workflow(), cause);
        }
        return JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, finishedAt, FailureKind.SYSTEM,
                reason, null);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Writes a terminal event, retrying while Kafka refuses, until it is written or the shutdown deadline passed. */
    private void publishTerminal(JobEvent event) {
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            try {
                publisher.publishInOwnTransaction(event);
                log.info("job {}: wrote {}", event.getJobId(), event.getEvent().getClass().getSimpleName());
                return;
            } catch (RuntimeException e) {
                Instant deadline = publishDeadline;
                if (deadline != null && now().isAfter(deadline)) {
                    log.error("job {}: giving up writing {} at shutdown", event.getJobId(),
                            event.getEvent().getClass().getSimpleName(), e);
                    return;
                }
                log.warn("job {}: could not write {}, retrying in {} ms", event.getJobId(),
                        event.getEvent().getClass().getSimpleName(), backoff.toMillis(), e);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    log.error("job {}: interrupted, {} not written", event.getJobId(),
                            event.getEvent().getClass().getSimpleName());
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_PUBLISH_BACKOFF) > 0 ? MAX_PUBLISH_BACKOFF
                        : backoff.multipliedBy(2);
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Starts before the listener containers (a lower phase starts earlier). */
    @Override
    public void start() {
        executor = Executors.newCachedThreadPool(namedThreads("jobline-runner-"));
        publishDeadline = null;
        stopping = false;
        lifecycleRunning = true;
    }

    @Override
    public void stop() {
        stopping = true;
        Instant deadline = clock.instant().plus(properties.shutdownGrace());
        publishDeadline = deadline.plus(PUBLISH_GRACE);
        try {
            int count = runningJobs();
            if (count > 0) {
                log.info("shutting down: waiting up to {} for {} running job(s) to finish", properties.shutdownGrace(),
                        count);
            }
            if (!awaitNoSlotsInUse(deadline)) {
                abandonRunningJobs();
                awaitNoSlotsInUse(publishDeadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
            lifecycleRunning = false;
        }
    }

    private void abandonRunningJobs() {
        List<RunningJob> left = List.copyOf(running.values());
        log.warn("shutdown grace of {} elapsed with {} job(s) still running: reporting them as lost",
                properties.shutdownGrace(), left.size());
        for (RunningJob runningJob : left) {
            if (!runningJob.claimReport()) {
                continue; // finished meanwhile: its own report is on the way
            }
            runningJob.cancel();
            JobSpec job = runningJob.job;
            try {
                publishTerminal(JobEvents.failed(job.jobId(), job.attempt(), runningJob.startedAt, now(),
                        FailureKind.WORKER_LOST, "worker " + properties.workerId()
                                + " shut down before the job finished (shutdown grace " + properties.shutdownGrace()
                                + " elapsed)",
                        null));
            } finally {
                running.remove(job.jobId(), runningJob);
                runningJob.slot.release();
            }
        }
    }

    private boolean awaitNoSlotsInUse(Instant deadline) throws InterruptedException {
        synchronized (slotLock) {
            while (slotsInUse > 0) {
                long wait = Duration.between(clock.instant(), deadline).toMillis();
                if (wait <= 0) {
                    return false;
                }
                slotLock.wait(wait);
            }
            return true;
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

    private static ThreadFactory namedThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

}
