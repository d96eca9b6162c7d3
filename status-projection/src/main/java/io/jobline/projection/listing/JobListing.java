package io.jobline.projection.listing;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobline.schemas.JobStatusView;

/**
 * Reads one partition's part of a listing: a newest-first page from a bounded {@code reverseRange} of the
 * {@code job-index} store (the query's dimension, between the time range's ids and the cursor), each item
 * looked up in {@code jobs}, and the number of matching jobs from {@link JobCounter}. A page costs its
 * {@code limit + 1} index entries and views, whatever the number of jobs stored.
 */
public final class JobListing {

    private JobListing() {
    }

    /**
     * One partition's page and total.
     *
     * @param items   at most {@code limit} views, newest first
     * @param hasMore whether more matching jobs follow in this partition
     * @param total   how many jobs of the partition match the filters (ignoring the cursor)
     */
    public record Part(List<JobStatusView> items, boolean hasMore, long total) {
    }

    public static Part read(ReadOnlyKeyValueStore<String, JobStatusView> jobs, ReadOnlyKeyValueStore<String, String> index,
            ReadOnlyKeyValueStore<String, Long> counts, ListingQuery query) {
        TimeRange range = query.submitted();
        if (range.isEmpty()) {
            return new Part(List.of(), false, 0);
        }
        Dimension dimension = query.dimension();
        String prefix = dimension.indexPrefix();
        String above = range.aboveHighestId();
        if (query.after() != null && query.after().compareTo(above) < 0) {
            above = query.after();
        }
        String skip = query.after() == null ? null : prefix + query.after(); // the bounds of reverseRange are inclusive
        int limit = query.limit();
        List<JobStatusView> items = new ArrayList<>(Math.min(limit, 64) + 1);
        String lowest = range.lowestId();
        if (above.compareTo(lowest) > 0) { // else the cursor is below the time range: nothing to read
            try (KeyValueIterator<String, String> it = index.reverseRange(prefix + lowest, prefix + above)) {
                while (it.hasNext() && items.size() <= limit) {
                    KeyValue<String, String> entry = it.next();
                    if (entry.key.equals(skip)) {
                        continue;
                    }
                    JobStatusView view = jobs.get(entry.value);
                    // the stream thread may change the job between our reads of the index and of the view
                    if (query.matches(view)) {
                        items.add(view);
                    }
                }
            }
        }
        boolean hasMore = items.size() > limit;
        long total = new JobCounter(counts, index).count(dimension, range);
        return new Part(hasMore ? items.subList(0, limit) : items, hasMore, total);
    }
}
