package io.jobline.projection.idempotency;

/**
 * Told by the fold, on the stream thread, about every idempotency key it has just stored, and when it gives
 * up a partition. Must return quickly and never block.
 */
public interface IdempotencyListener {

    /** Listens to nothing. */
    IdempotencyListener NONE = new IdempotencyListener() {
        @Override
        public void accepted(int partition, String storeKey, IdempotencyEntry entry) {
        }

        @Override
        public void partitionClosed(int partition) {
        }
    };

    /** {@code storeKey} now points at {@code entry}, in {@code partition}. */
    void accepted(int partition, String storeKey, IdempotencyEntry entry);

    /** This instance no longer folds {@code partition} (rebalance or shutdown). */
    void partitionClosed(int partition);
}
