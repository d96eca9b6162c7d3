package io.jobline.processor.pipeline;

import java.util.concurrent.CompletableFuture;

/** A run that its pipeline accepted, ready to start. */
@FunctionalInterface
public interface PreparedRun {

    /**
     * Starts the run and returns at once; the future completes with the outcome when the run ends. It may complete
     * exceptionally (the processor reports a {@code SYSTEM} failure then). Cancelling the future asks the pipeline to
     * stop the run. Called off the Kafka consumer thread.
     */
    CompletableFuture<Outcome> start();
}
