package io.jobline.processor.runner;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Outcome;

/** A job this instance started and has not reported the end of yet. */
final class RunningJob {

    final JobSpec job;
    final Instant startedAt;
    final Slot slot;
    private final AtomicBoolean reported = new AtomicBoolean();
    private CompletableFuture<Outcome> future;
    private boolean cancelled;

    RunningJob(JobSpec job, Instant startedAt, Slot slot) {
        this.job = job;
        this.startedAt = startedAt;
        this.slot = slot;
    }

    /**
     * Claims the right to write the attempt's one terminal event: true for the first caller only (the pipeline's
     * completion, or the shutdown that gives up on the job).
     */
    boolean claimReport() {
        return reported.compareAndSet(false, true);
    }

    synchronized void started(CompletableFuture<Outcome> future) {
        this.future = future;
        if (cancelled) {
            future.cancel(true);
        }
    }

    synchronized void cancel() {
        cancelled = true;
        if (future != null) {
            future.cancel(true);
        }
    }
}
