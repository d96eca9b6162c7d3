package io.jobline.projection.topology;

import io.jobline.schemas.JobStatusView;

/**
 * Told by the fold, on the stream thread, about every view it has just stored, and when it gives up a
 * partition. Must return quickly and never block.
 */
public interface ViewListener {

    /** Listens to nothing. */
    ViewListener NONE = new ViewListener() {
        @Override
        public void changed(int partition, JobStatusView view) {
        }

        @Override
        public void partitionClosed(int partition) {
        }
    };

    /** {@code view} is now the stored view of its job, in {@code partition}. */
    void changed(int partition, JobStatusView view);

    /** This instance no longer folds {@code partition} (rebalance or shutdown). */
    void partitionClosed(int partition);
}
