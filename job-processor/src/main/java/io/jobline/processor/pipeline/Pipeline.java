package io.jobline.processor.pipeline;

/**
 * Runs the jobs of one workflow. Every {@code Pipeline} bean is registered in the {@link PipelineRegistry} under its
 * {@link #workflow()} name.
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
}
