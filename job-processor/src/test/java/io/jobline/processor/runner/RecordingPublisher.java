package io.jobline.processor.runner;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.jobline.processor.events.EventPublisher;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobLogChunk;

/** Records the events and log chunks written in their own transactions; fails the next {@link #failuresToCome} attempts. */
final class RecordingPublisher extends EventPublisher {

    final List<JobEvent> events = new CopyOnWriteArrayList<>();
    final List<JobLogChunk> logChunks = new CopyOnWriteArrayList<>();
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
    public void publishInOwnTransaction(List<ProducerRecord<String, Object>> records) {
        attempts.incrementAndGet();
        attemptThreads.add(Thread.currentThread().getName());
        if (failuresToCome.getAndDecrement() > 0) {
            throw new IllegalStateException("broker away");
        }
        onWrite.run();
        for (ProducerRecord<String, Object> record : records) {
            if (record.value() instanceof JobEvent event) {
                events.add(event);
            } else if (record.value() instanceof JobLogChunk chunk) {
                logChunks.add(chunk);
            }
        }
    }
}
