package io.jobline.processor.pipeline;

import java.util.Objects;

/** A final output of a run: its path relative to the run's working directory, and its size. */
public record OutputFile(String path, long sizeBytes) {

    public OutputFile {
        Objects.requireNonNull(path, "path");
    }
}
