package io.jobline.processor.runner;

import java.util.concurrent.atomic.AtomicInteger;

final class RecordingBackpressure implements Backpressure {

    final AtomicInteger pauses = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();

    @Override
    public void pause() {
        pauses.incrementAndGet();
    }

    @Override
    public void resume() {
        resumes.incrementAndGet();
    }
}
