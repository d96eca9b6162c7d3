package io.jobline.processor.pipeline;

/**
 * Hears a run while it runs. Called from the pipeline's own threads; implementations must return quickly and never
 * block.
 */
public interface RunListener {

    RunListener IGNORE = new RunListener() {
        @Override
        public void progress(int done, int total) {
        }

        @Override
        public void logLine(String line) {
        }
    };

    /** {@code done} of {@code total} steps are done; called again each time it changes. */
    void progress(int done, int total);

    /** One line of the run's output (stdout and stderr, in the order read), without its line terminator. */
    void logLine(String line);
}
