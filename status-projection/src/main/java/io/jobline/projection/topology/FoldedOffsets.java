package io.jobline.projection.topology;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

/**
 * The highest offset of each partition of one input topic ({@code jobline.commands}) that this instance's
 * processor has folded into its stores, for read-your-writes. Written by the stream threads, read by the
 * HTTP threads; a reader can wait for an offset without holding a thread: the processor completes the
 * waiters of a partition when it folds past their target.
 */
public final class FoldedOffsets {

    /** Nothing folded yet in this partition (by this instance, since it was last assigned the partition). */
    public static final long NONE = -1L;

    private final String topic;
    private final ConcurrentHashMap<Integer, PartitionOffsets> partitions = new ConcurrentHashMap<>();

    public FoldedOffsets(String topic) {
        this.topic = topic;
    }

    /** The topic whose offsets are tracked. */
    public String topic() {
        return topic;
    }

    /** Records that the record at {@code offset} of {@code partition} has been folded, and wakes its waiters. */
    public void folded(int partition, long offset) {
        PartitionOffsets p = partition(partition);
        long now = p.folded.accumulateAndGet(offset, Math::max);
        if (!p.waiters.isEmpty()) {
            p.waiters.removeIf(w -> w.target <= now && w.done.complete(null));
        }
    }

    /** The highest folded offset of the partition, or {@link #NONE}. */
    public long folded(int partition) {
        PartitionOffsets p = partitions.get(partition);
        return p == null ? NONE : p.folded.get();
    }

    /**
     * Forgets what was folded in a partition: called when this instance takes the partition's task on or
     * gives it up, since the store may then be restored to a different point.
     */
    public void reset(int partition) {
        partition(partition).folded.set(NONE);
    }

    /**
     * Completes once the partition has been folded up to {@code target} (inclusive); at once if it already
     * has. Never completes otherwise: bound it with a timeout.
     */
    public Mono<Void> awaitFolded(int partition, long target) {
        return Mono.defer(() -> {
            PartitionOffsets p = partition(partition);
            if (p.folded.get() >= target) {
                return Mono.empty();
            }
            Waiter waiter = new Waiter(target, new CompletableFuture<>());
            p.waiters.add(waiter);
            if (p.folded.get() >= target) { // folded between the check and the registration
                p.waiters.remove(waiter);
                return Mono.empty();
            }
            return Mono.fromFuture(waiter.done).doFinally(signal -> p.waiters.remove(waiter));
        });
    }

    /** How many readers are waiting, over all partitions (for tests and metrics). */
    public int waiting() {
        return partitions.values().stream().mapToInt(p -> p.waiters.size()).sum();
    }

    private PartitionOffsets partition(int partition) {
        return partitions.computeIfAbsent(partition, k -> new PartitionOffsets());
    }

    private static final class PartitionOffsets {
        final AtomicLong folded = new AtomicLong(NONE);
        final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    }

    private record Waiter(long target, CompletableFuture<Void> done) {
    }
}
