package io.jobline.projection.listing;

import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.streams.state.KeyValueStore;

import io.jobline.schemas.JobStatusView;

/**
 * Keeps the listing index and counts of a partition in step with its job views; called by the fold for
 * every changed view. A job leaves the dimensions it was in and enters those it is in now (see
 * {@link Dimension#of(JobStatusView)}): one index entry and the counts (total, day, hour, minute) of each
 * dimension it leaves or enters change. A change that keeps owner, status and workflow touches nothing.
 */
public final class JobIndexer {

    private final KeyValueStore<String, String> index;
    private final KeyValueStore<String, Long> counts;

    public JobIndexer(KeyValueStore<String, String> index, KeyValueStore<String, Long> counts) {
        this.index = index;
        this.counts = counts;
    }

    /**
     * @param before the job's view before the change, or null for a new job
     * @param after  its view now
     */
    public void update(String jobId, JobStatusView before, JobStatusView after) {
        Set<Dimension> was = before == null ? Set.of() : Dimension.of(before);
        Set<Dimension> is = Dimension.of(after);
        OptionalLong submitted = JobIds.millisOf(jobId);
        for (Dimension dimension : was) {
            if (!is.contains(dimension)) {
                index.delete(dimension.indexKey(jobId));
                count(dimension, submitted, -1);
            }
        }
        for (Dimension dimension : is) {
            if (!was.contains(dimension)) {
                index.put(dimension.indexKey(jobId), jobId);
                count(dimension, submitted, +1);
            }
        }
    }

    private void count(Dimension dimension, OptionalLong submitted, long delta) {
        add(TimeBuckets.totalKey(dimension), delta);
        if (submitted.isPresent()) { // an id that is not a UUIDv7 has no time: counted in the total only
            for (TimeBuckets.Level level : TimeBuckets.LEVELS) {
                add(TimeBuckets.bucketKey(dimension, level, submitted.getAsLong() / level.millis()), delta);
            }
        }
    }

    private void add(String key, long delta) {
        Long count = counts.get(key);
        long next = (count == null ? 0 : count) + delta;
        if (next == 0) {
            counts.delete(key); // empty buckets take no space
        } else {
            counts.put(key, next);
        }
    }
}
