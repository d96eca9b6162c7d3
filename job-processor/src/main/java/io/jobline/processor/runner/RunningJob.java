package io.jobline.processor.runner;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.PipelineRun;

/** A job this instance started and has not reported the end of yet. */
final class RunningJob {

    final JobSpec job;
    final Instant startedAt;
    final Slot slot;
    private final AtomicBoolean reported = new AtomicBoolean();
    private PipelineRun run;
    private StopReason stopReason;

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

    synchronized void started(PipelineRun run) {
        this.run = run;
        if (stopReason != null) {
            run.stop();
        }
    }

    /** Stops the run; the first reason given is the one its terminal event tells. */
    synchronized void stop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        if (run != null) {
            run.stop();
        }
    }

    synchronized StopReason stopReason() {
        return stopReason;
    }
}
