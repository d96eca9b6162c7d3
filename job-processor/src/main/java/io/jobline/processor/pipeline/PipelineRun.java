package io.jobline.processor.pipeline;

import java.util.concurrent.CompletableFuture;

/** A started run. */
public interface PipelineRun {

    /**
     * Completes with the outcome once the run has ended and every process it started is gone. It may complete
     * exceptionally (the processor reports a {@code SYSTEM} failure then).
     */
    CompletableFuture<Outcome> outcome();

    /**
     * Asks the run to stop (for a process: SIGTERM to its process group, SIGKILL after a grace period). The outcome
     * then completes with {@link Outcome.Stopped} once every process of the run is gone, unless the run had already
     * ended. Safe to call more than once, from any thread; returns at once.
     */
    void stop();
}
