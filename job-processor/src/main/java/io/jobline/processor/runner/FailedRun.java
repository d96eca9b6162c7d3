package io.jobline.processor.runner;

import java.util.concurrent.CompletableFuture;

import io.jobline.processor.pipeline.Outcome;
import io.jobline.processor.pipeline.PipelineRun;

/** A run that could not be started: its outcome is the failure. */
record FailedRun(CompletableFuture<Outcome> outcome) implements PipelineRun {

    static FailedRun of(Throwable failure) {
        return new FailedRun(CompletableFuture.failedFuture(failure));
    }

    @Override
    public void stop() {
    }
}
