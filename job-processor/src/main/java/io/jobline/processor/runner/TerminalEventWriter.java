package io.jobline.processor.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.processor.events.EventPublisher;
import io.jobline.processor.events.JobRecords;
import io.jobline.schemas.JobEvent;

/**
 * Writes the one terminal event of an attempt, in a Kafka transaction of its own. While Kafka refuses it, the write is
 * tried again after a backoff that doubles from 250 ms up to 5 s; retries are scheduled, so no thread waits them out.
 * Once the runner shuts down, writes not done by the deadline it sets are given up.
 */
final class TerminalEventWriter {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(TerminalEventWriter.class);

    private final EventPublisher publisher;
    private final Executor retries;
    private final Clock clock;
    private final Set<PendingWrite> pending = ConcurrentHashMap.newKeySet();
    /** Null while the runner runs: failed writes are retried until they succeed. */
    private volatile Instant deadline;

    TerminalEventWriter(EventPublisher publisher, Clock clock) {
        // never shut down: its threads end after a minute idle, and a write may still need one after the runner stopped
        this(publisher, Executors.newCachedThreadPool(DaemonThreads.named("jobline-terminal-events-")), clock);
    }

    /** @param retries runs the attempts after the first; they block while Kafka takes its time */
    TerminalEventWriter(EventPublisher publisher, Executor retries, Clock clock) {
        this.publisher = publisher;
        this.retries = retries;
        this.clock = clock;
    }

    /**
     * Makes the first attempt on the calling thread and returns. The future completes when the event is written, or
     * exceptionally with a {@link TimeoutException} when the shutdown deadline passed before it could be.
     */
    CompletableFuture<Void> write(JobEvent event) {
        return write(List.of(), event);
    }

    /** As {@link #write(JobEvent)}, with records of the attempt that must go out before its terminal event. */
    CompletableFuture<Void> write(List<ProducerRecord<String, Object>> before, JobEvent event) {
        PendingWrite write = new PendingWrite(before, event);
        pending.add(write);
        write.done.whenComplete((written, notWritten) -> pending.remove(write));
        write.attempt();
        return write.done;
    }

    /** From now on, gives up the writes that are not done by the deadline. */
    void giveUpAt(Instant deadline) {
        this.deadline = deadline;
        long millisLeft = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        later(millisLeft).execute(() -> giveUpPendingWrites(deadline));
    }

    /** Retries failed writes until they succeed again: the runner (re)started. */
    void retryUntilWritten() {
        deadline = null;
    }

    private void giveUpPendingWrites(Instant deadline) {
        if (deadline.equals(this.deadline)) { // else the runner started again meanwhile
            pending.forEach(PendingWrite::giveUpIfFailedBefore);
        }
    }

    private boolean pastDeadline() {
        Instant current = deadline;
        return current != null && !clock.instant().isBefore(current);
    }

    private Executor later(long millis) {
        return CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, retries);
    }

    private final class PendingWrite {

        private final JobEvent event;
        private final List<ProducerRecord<String, Object>> records;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Only the one attempt under way touches it: the next one is scheduled after it failed. */
        private Duration backoff = FIRST_BACKOFF;
        private volatile RuntimeException lastFailure;

        PendingWrite(List<ProducerRecord<String, Object>> before, JobEvent event) {
            this.event = event;
            List<ProducerRecord<String, Object>> all = new ArrayList<>(before);
            all.add(JobRecords.event(event));
            this.records = List.copyOf(all);
        }

        void attempt() {
            if (done.isDone()) {
                return; // given up at the deadline
            }
            try {
                publisher.publishInOwnTransaction(records);
            } catch (RuntimeException e) {
                retryOrGiveUp(e);
                return;
            } catch (Error e) {
                done.completeExceptionally(e); // a retry's error would vanish in the executor, leaving the slot held
                throw e;
            }
            log.info("job {}: wrote {}", event.getJobId(), eventType());
            done.complete(null);
        }

        private void retryOrGiveUp(RuntimeException failure) {
            lastFailure = failure;
            if (pastDeadline()) {
                giveUp();
                return;
            }
            log.warn("job {}: could not write {}, retrying in {} ms", event.getJobId(), eventType(),
                    backoff.toMillis(), failure);
            Executor nextAttempt = later(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            nextAttempt.execute(this::attempt);
        }

        /** A first attempt still under way gives itself up if it fails, with its own failure as the cause. */
        void giveUpIfFailedBefore() {
            if (lastFailure != null) {
                giveUp();
            }
        }

        void giveUp() {
            TimeoutException notWritten = new TimeoutException(
                    "gave up writing " + eventType() + " of job " + event.getJobId() + " at the shutdown deadline");
            notWritten.initCause(lastFailure);
            if (done.completeExceptionally(notWritten)) {
                log.error("job {}: giving up writing {} at shutdown", event.getJobId(), eventType(), lastFailure);
            }
        }

        private String eventType() {
            return event.getEvent().getClass().getSimpleName();
        }
    }
}
