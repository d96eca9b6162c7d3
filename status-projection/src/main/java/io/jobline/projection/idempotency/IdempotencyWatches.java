package io.jobline.projection.idempotency;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.jobline.projection.watch.KeyedWaits;
import reactor.core.publisher.Mono;

/**
 * The lookups of idempotency keys waiting on this instance for a key to appear: each is a future that the
 * fold completes (through {@link IdempotencyListener}) when it stores the key, and a timer otherwise. No thread
 * waits. When the instance gives up a partition, the waits on its keys end as {@link Outcome.Kind#MOVED}, so
 * that the caller can ask the new owner; when the application stops, as timed out.
 */
public class IdempotencyWatches extends KeyedWaits<IdempotencyEntry, IdempotencyWatches.Outcome>
        implements IdempotencyListener {

    /**
     * How a wait ended.
     *
     * @param entry the entry that appeared (null unless found)
     */
    public record Outcome(Kind kind, IdempotencyEntry entry) {

        public enum Kind { FOUND, TIMED_OUT, MOVED }

        static final Outcome TIMED_OUT = new Outcome(Kind.TIMED_OUT, null);
        static final Outcome MOVED = new Outcome(Kind.MOVED, null);
    }

    public IdempotencyWatches() {
        super(Outcome.TIMED_OUT, Outcome.MOVED);
    }

    /**
     * Waits until {@code storeKey} points at a job (an entry that still holds) or {@code timeout} passes.
     * {@code current} reads the stored entry once the wait is registered, so that one stored just before is
     * not missed. Completes off the stream thread.
     */
    public Mono<Outcome> await(String storeKey, int partition, Duration timeout, Supplier<IdempotencyEntry> current) {
        return awaitStored(storeKey, partition, IdempotencyWatches::holdsNow, timeout, current);
    }

    @Override
    public void accepted(int partition, String storeKey, IdempotencyEntry entry) {
        stored(storeKey, entry);
    }

    @Override
    protected Outcome satisfied(IdempotencyEntry entry) {
        return new Outcome(Outcome.Kind.FOUND, entry);
    }

    /** An entry replayed from long ago (a rebuild) no longer holds: it does not end a wait. */
    private static boolean holdsNow(IdempotencyEntry entry) {
        return entry != null && entry.holdsAt(Instant.now());
    }
}
