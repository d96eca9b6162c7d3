package io.jobline.projection.history;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Appends every command and event of a job to its history in {@code job-history}, in the order the fold
 * applies them, numbered from 1 per job. Kept as long as the job: the history is the audit trail.
 */
public final class JobHistoryWriter {

    public static final String HISTORY_STORE = "job-history";

    private final KeyValueStore<String, String> store;

    public JobHistoryWriter(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Appends the record read at {@code topic}/{@code partition}/{@code offset}; returns its seq. */
    public long append(String jobId, Object commandOrEvent, String topic, int partition, long offset, long timestamp) {
        long seq = lastSeq(jobId) + 1;
        store.put(HistoryKeys.entryKey(jobId, seq),
                HistoryEntries.render(seq, topic, partition, offset, timestamp, commandOrEvent));
        return seq;
    }

    private long lastSeq(String jobId) {
        try (KeyValueIterator<String, String> it =
                store.reverseRange(HistoryKeys.jobPrefix(jobId), HistoryKeys.jobUpperBound(jobId))) {
            return it.hasNext() ? HistoryKeys.seqOf(it.next().key) : 0;
        }
    }
}
