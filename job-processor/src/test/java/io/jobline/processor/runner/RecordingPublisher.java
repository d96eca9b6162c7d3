package io.jobline.processor.runner;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobline.processor.events.EventPublisher;
import io.jobline.schemas.JobEvent;

/** Records the events written in their own transaction; fails the next {@link #failuresToCome} attempts. */
final class RecordingPublisher extends EventPublisher {

    final List<JobEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger failuresToCome = new AtomicInteger();
    final List<String> attemptThreads = new CopyOnWriteArrayList<>();
    /** Runs on each successful write, before it returns. */
    volatile Runnable onWrite = () -> {
    };

    RecordingPublisher() {
        super(null);
    }

    void failAlways() {
        failuresToCome.set(Integer.MAX_VALUE);
    }

    @Override
    public void publishInCurrentTransaction(JobEvent event) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void publishInOwnTransaction(JobEvent event) {
        attempts.incrementAndGet();
        attemptThreads.add(Thread.currentThread().getName());
        if (failuresToCome.getAndDecrement() > 0) {
            throw new IllegalStateException("broker away");
        }
        onWrite.run();
        events.add(event);
    }
}
