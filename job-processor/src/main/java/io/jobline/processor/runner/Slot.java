package io.jobline.processor.runner;

import java.util.concurrent.atomic.AtomicBoolean;

/** One of the runner's {@code max-concurrent-jobs} places, held from before a job's start until its terminal event. */
public final class Slot {

    private final JobSlots slots;
    private final AtomicBoolean released = new AtomicBoolean();

    Slot(JobSlots slots) {
        this.slots = slots;
    }

    /** Gives the place back; calling it again does nothing. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            slots.release();
        }
    }
}
