package io.jobline.processor.runner;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jobline.processor.pipeline.Outcome;
import io.jobline.processor.pipeline.PipelineRun;

/** A pipeline run whose outcome the test completes; {@link #stop()} ends it as stopped at once. */
final class TestRun implements PipelineRun {

    final CompletableFuture<Outcome> outcome;
    final AtomicBoolean stopped = new AtomicBoolean();

    private TestRun(CompletableFuture<Outcome> outcome) {
        this.outcome = outcome;
    }

    static TestRun of(CompletableFuture<Outcome> outcome) {
        return new TestRun(outcome);
    }

    static TestRun completed(Outcome outcome) {
        return new TestRun(CompletableFuture.completedFuture(outcome));
    }

    @Override
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    @Override
    public void stop() {
        stopped.set(true);
        outcome.complete(new Outcome.Stopped(List.of()));
    }
}
