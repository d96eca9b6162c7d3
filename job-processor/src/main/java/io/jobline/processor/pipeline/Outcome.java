package io.jobline.processor.pipeline;

import java.util.List;
import java.util.Objects;

import io.jobline.schemas.FailureKind;

/** How a pipeline run ended, as the pipeline saw it. */
public sealed interface Outcome permits Outcome.Succeeded, Outcome.Failed, Outcome.Stopped {

    static Outcome succeeded() {
        return new Succeeded(List.of());
    }

    static Outcome failed(FailureKind kind, String reason, Integer exitCode) {
        return new Failed(kind, reason, exitCode, List.of());
    }

    /** @param outputs the workflow's final outputs */
    record Succeeded(List<OutputFile> outputs) implements Outcome {
        public Succeeded {
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * @param exitCode the pipeline's exit code when it ran, else null
     * @param logTail  the last lines of the run's output, oldest first
     */
    record Failed(FailureKind kind, String reason, Integer exitCode, List<String> logTail) implements Outcome {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
            logTail = List.copyOf(logTail);
        }
    }

    /** The run was stopped through {@link PipelineRun#stop()} and none of its processes is left. */
    record Stopped(List<String> logTail) implements Outcome {
        public Stopped {
            logTail = List.copyOf(logTail);
        }
    }
}
