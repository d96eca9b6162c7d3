package io.jobline.processor.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's {@code max-concurrent-jobs} places. A job holds one from just before it starts until its terminal event
 * is written. Taking the last free slot pauses the intake of commands through {@link Backpressure}; freeing one
 * resumes it, except while the runner shuts down.
 */
final class JobSlots {

    private static final Logger log = LoggerFactory.getLogger(JobSlots.class);

    private final int max;
    private final Supplier<Backpressure> backpressure;
    private final Clock clock;

    private final Object lock = new Object();
    private int inUse;
    private int peakInUse;
    private volatile boolean resumingIntake = true;

    /** @param backpressure asked anew each time: the command listener's bean exists only once the context is up */
    JobSlots(int max, Supplier<Backpressure> backpressure, Clock clock) {
        this.max = max;
        this.backpressure = backpressure;
        this.clock = clock;
    }

    void registerGauges(MeterRegistry registry) {
        Gauge.builder("jobline.processor.jobs.running", this, JobSlots::inUse)
                .description("Jobs this processor is running").register(registry);
        Gauge.builder("jobline.processor.jobs.slots", this, JobSlots::max)
                .description("Jobs this processor may run at once").register(registry);
    }

    /**
     * Takes a slot for a job about to start, pausing the intake when this was the last free one. With one consumer
     * thread a slot is always free here (the intake is paused before the last one is taken); should several threads
     * race for the last slot, the losers wait for one to be released.
     */
    Slot acquire() throws InterruptedException {
        synchronized (lock) {
            if (inUse >= max) {
                log.warn("all {} job slots are taken; waiting for one to be released", max);
            }
            while (inUse >= max) {
                lock.wait(1000);
            }
            inUse++;
            peakInUse = Math.max(peakInUse, inUse);
            if (inUse == max) {
                log.debug("all {} job slots are taken: pausing the intake of commands", max);
                backpressure.get().pause();
            }
            return new Slot(this);
        }
    }

    /** Called once per slot, by {@link Slot#release()}. */
    void release() {
        synchronized (lock) {
            inUse--;
            lock.notifyAll();
            if (inUse == max - 1 && resumingIntake) {
                log.debug("a job slot is free: resuming the intake of commands");
                backpressure.get().resume();
            }
        }
    }

    /** The runner is shutting down: freed slots leave the intake paused. */
    void stopResumingIntake() {
        resumingIntake = false;
    }

    /** The runner (re)started: a freed slot resumes the intake again. */
    void resumeIntakeWhenFreed() {
        resumingIntake = true;
    }

    /** Waits until no slot is taken; false when the deadline passed first. */
    boolean awaitAllFree(Instant deadline) throws InterruptedException {
        synchronized (lock) {
            while (inUse > 0) {
                long wait = Duration.between(clock.instant(), deadline).toMillis();
                if (wait <= 0) {
                    return false;
                }
                lock.wait(wait);
            }
            return true;
        }
    }

    /** Slots taken now: jobs running or about to start, or whose terminal event is still being written. */
    int inUse() {
        synchronized (lock) {
            return inUse;
        }
    }

    /** The most slots ever taken at once since start-up. */
    int peakInUse() {
        synchronized (lock) {
            return peakInUse;
        }
    }

    int max() {
        return max;
    }
}
