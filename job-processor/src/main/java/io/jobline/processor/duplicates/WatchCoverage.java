package io.jobline.processor.duplicates;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * How far the cancel watch has read each partition of {@code jobline.commands}: every submission below a partition's
 * position has been handed to {@link SeenSubmissions}.
 */
final class WatchCoverage {

    private final Map<Integer, Long> positions = new HashMap<>();
    private boolean watching;
    /** The partitions the watch reads; null while it is starting and does not know them yet. */
    private Set<Integer> partitions;

    synchronized void starting() {
        watching = true;
        partitions = null;
    }

    synchronized void reading(Collection<Integer> partitions) {
        this.partitions = Set.copyOf(partitions);
        notifyAll();
    }

    synchronized void stopped() {
        watching = false;
        notifyAll();
    }

    synchronized void readUpTo(int partition, long position) {
        positions.merge(partition, position, Math::max);
        notifyAll();
    }

    /**
     * Waits until the watch has read everything before the offset, at most {@code timeout}; returns at once when the
     * watch is not running or does not read that partition (one added since it started).
     *
     * @return false when the watch reads the partition and is still behind
     */
    synchronized boolean awaitReadBefore(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isBehind(partition, offset)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private boolean isBehind(int partition, long offset) {
        return watching && (partitions == null || partitions.contains(partition))
                && positions.getOrDefault(partition, -1L) < offset;
    }
}
