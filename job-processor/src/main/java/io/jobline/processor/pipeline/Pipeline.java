package io.jobline.processor.pipeline;

import java.time.Duration;
import java.util.Optional;

/**
 * Runs the jobs of one workflow. The {@link PipelineRegistry} finds the pipeline of a job by its workflow name.
 */
public interface Pipeline {

    /** The workflow name that jobs ask for ({@code JobSubmitted.workflow}). */
    String workflow();

    /**
     * Checks the job and plans its run, without starting anything. Called on the Kafka consumer thread, in the
     * transaction that will carry the {@code JobStarted} event, so it must be quick and must not block.
     *
     * @throws CannotStartException when the job cannot run as asked; the message, naming the offending parameter,
     *                              becomes the reason of the {@code CANNOT_START} failure
     */
    PreparedRun prepare(JobSpec job) throws CannotStartException;

    /** How long a run of this workflow may take before the processor stops it and fails it with {@code TIMEOUT}. */
    default Optional<Duration> maxRunTime() {
        return Optional.empty();
    }
}
