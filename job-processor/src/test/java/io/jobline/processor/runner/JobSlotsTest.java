package io.jobline.processor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class JobSlotsTest {

    private final RecordingBackpressure backpressure = new RecordingBackpressure();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private JobSlots slots(int max) {
        JobSlots slots = new JobSlots(max, () -> backpressure, Clock.systemUTC());
        slots.registerGauges(meters);
        return slots;
    }

    @Test
    void pausesWhenTheLastSlotIsTakenAndResumesWhenOneFrees() throws Exception {
        JobSlots slots = slots(2);
        Slot first = slots.acquire();
        assertThat(backpressure.pauses).hasValue(0);
        Slot second = slots.acquire();
        assertThat(backpressure.pauses).hasValue(1);
        assertThat(slots.inUse()).isEqualTo(2);
        assertThat(meters.get("jobline.processor.jobs.running").gauge().value()).isEqualTo(2.0);
        assertThat(meters.get("jobline.processor.jobs.slots").gauge().value()).isEqualTo(2.0);

        second.release();
        second.release(); // a second release is ignored
        assertThat(backpressure.resumes).hasValue(1);
        assertThat(slots.inUse()).isEqualTo(1);
        first.release();
        assertThat(backpressure.resumes).hasValue(1);
        assertThat(slots.inUse()).isZero();
        assertThat(slots.peakInUse()).isEqualTo(2);
        assertThat(meters.get("jobline.processor.jobs.running").gauge().value()).isZero();
    }

    @Test
    void aFreedSlotLeavesTheIntakePausedWhileShuttingDownAndResumesItAfterARestart() throws Exception {
        JobSlots slots = slots(1);
        slots.stopResumingIntake();
        slots.acquire().release();
        assertThat(backpressure.pauses).hasValue(1);
        assertThat(backpressure.resumes).hasValue(0);

        slots.resumeIntakeWhenFreed();
        slots.acquire().release();
        assertThat(backpressure.resumes).hasValue(1);
    }

    @Test
    void aThreadRacingForTheLastSlotWaitsUntilOneIsReleased() throws Exception {
        JobSlots slots = slots(1);
        Slot held = slots.acquire();
        CompletableFuture<Slot> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return slots.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting).isNotDone();
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(waiting).isNotDone();

        held.release();
        Slot taken = waiting.get(5, TimeUnit.SECONDS);
        assertThat(slots.inUse()).isEqualTo(1);
        assertThat(slots.peakInUse()).isEqualTo(1);
        taken.release();
    }

    @Test
    void awaitAllFreeReturnsOnceTheLastSlotIsReleased() throws Exception {
        JobSlots slots = slots(2);
        Slot slot = slots.acquire();
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(slot::release);

        long begin = System.nanoTime();
        assertThat(slots.awaitAllFree(Instant.now().plusSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(4));
    }

    @Test
    void awaitAllFreeGivesUpAtTheDeadline() throws Exception {
        JobSlots slots = slots(2);
        Slot slot = slots.acquire();

        long begin = System.nanoTime();
        assertThat(slots.awaitAllFree(Instant.now().plusMillis(200))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(slots.inUse()).isEqualTo(1);
        slot.release();
        assertThat(slots.awaitAllFree(Instant.now())).isTrue();
    }
}
