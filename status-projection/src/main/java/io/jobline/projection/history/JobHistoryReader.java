package io.jobline.projection.history;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads a page of one job's history: a forward range read from just after a seq. */
public final class JobHistoryReader {

    private JobHistoryReader() {
    }

    /**
     * @param entries the stored JSON of each entry, oldest first
     * @param hasMore whether later entries follow
     */
    public record Page(List<String> entries, boolean hasMore) {
    }

    /** At most {@code limit} entries with a seq above {@code afterSeq} (0 for the first page). */
    public static Page read(ReadOnlyKeyValueStore<String, String> store, String jobId, long afterSeq, int limit) {
        List<String> entries = new ArrayList<>(Math.min(limit, 256) + 1);
        try (KeyValueIterator<String, String> it = store.range(
                HistoryKeys.entryKey(jobId, Math.max(0, afterSeq) + 1), HistoryKeys.jobUpperBound(jobId))) {
            while (it.hasNext() && entries.size() <= limit) {
                entries.add(it.next().value);
            }
        }
        boolean hasMore = entries.size() > limit;
        return new Page(hasMore ? entries.subList(0, limit) : entries, hasMore);
    }
}
