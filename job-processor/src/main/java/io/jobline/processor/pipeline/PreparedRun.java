package io.jobline.processor.pipeline;

/** A run that its pipeline accepted, ready to start. */
@FunctionalInterface
public interface PreparedRun {

    /**
     * Starts the run and returns at once. Called off the Kafka consumer thread. The listener hears the run's progress
     * and log lines while it runs.
     *
     * @throws RuntimeException when the run could not be started at all (the processor reports a {@code SYSTEM}
     *                          failure then)
     */
    PipelineRun start(RunListener listener);
}
