package io.jobline.projection.query;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;

/**
 * Reads a newest-first page from the stores of one partition with a {@code reverseRange} seek, so a page
 * costs O(limit), whatever the number of jobs. Job ids are UUIDv7: descending id is descending creation time.
 */
public final class JobListing {

    private JobListing() {
    }

    /**
     * @param jobs   the jobs store of a partition
     * @param index  the status index of the same partition
     * @param status only jobs in this status, or all when null
     * @param after  only jobs with an id strictly less than this, or no bound when null
     * @param limit  at most this many items (≥ 1)
     */
    public static Page<JobStatusView> page(ReadOnlyKeyValueStore<String, JobStatusView> jobs,
            ReadOnlyKeyValueStore<String, String> index, JobStatus status, String after, int limit) {
        List<JobStatusView> items = new ArrayList<>(Math.min(limit, 64) + 1);
        if (status == null) {
            try (KeyValueIterator<String, JobStatusView> it = jobs.reverseRange(null, after)) {
                while (it.hasNext() && items.size() <= limit) {
                    KeyValue<String, JobStatusView> entry = it.next();
                    if (!entry.key.equals(after)) { // the bounds of reverseRange are inclusive
                        items.add(entry.value);
                    }
                }
            }
        } else {
            String upper = after == null
                    ? ProjectionTopology.indexUpperBound(status)
                    : ProjectionTopology.indexKey(status, after);
            try (KeyValueIterator<String, String> it =
                    index.reverseRange(ProjectionTopology.indexLowerBound(status), upper)) {
                while (it.hasNext() && items.size() <= limit) {
                    KeyValue<String, String> entry = it.next();
                    if (entry.value.equals(after)) {
                        continue;
                    }
                    JobStatusView view = jobs.get(entry.value);
                    // the stream thread may move the job between reading the index and the view
                    if (view != null && view.getStatus() == status) {
                        items.add(view);
                    }
                }
            }
        }
        boolean hasMore = items.size() > limit;
        return new Page<>(hasMore ? items.subList(0, limit) : items, hasMore);
    }
}
