package io.jobline.processor.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Keeps what a run reported, in order. */
final class RecordingListener implements RunListener {

    record Progress(int done, int total) {
    }

    private final List<Progress> progress = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void progress(int done, int total) {
        progress.add(new Progress(done, total));
    }

    @Override
    public synchronized void logLine(String line) {
        lines.add(line);
    }

    synchronized List<Progress> progress() {
        return List.copyOf(progress);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
