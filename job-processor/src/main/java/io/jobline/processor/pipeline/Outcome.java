package io.jobline.processor.pipeline;

import java.util.Objects;

import io.jobline.schemas.FailureKind;

/** How a pipeline run ended, as the pipeline saw it. */
public sealed interface Outcome permits Outcome.Succeeded, Outcome.Failed {

    static Outcome succeeded() {
        return Succeeded.INSTANCE;
    }

    static Outcome failed(FailureKind kind, String reason, Integer exitCode) {
        return new Failed(kind, reason, exitCode);
    }

    record Succeeded() implements Outcome {
        static final Succeeded INSTANCE = new Succeeded();
    }

    /** @param exitCode the pipeline's exit code when it ran, else null */
    record Failed(FailureKind kind, String reason, Integer exitCode) implements Outcome {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
