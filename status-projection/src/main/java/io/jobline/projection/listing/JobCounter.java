package io.jobline.projection.listing;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Counts the jobs of a dimension in one partition, from the {@code job-counts} store. Without a time range
 * this is one read. With one, it is the sum of the day buckets wholly inside the range, plus, at each edge,
 * the hour buckets and then the minute buckets wholly inside what is left, plus an exact scan of the index
 * for the part of a minute left at each edge: at most (days in the range) + 2 × 23 + 2 × 59 bucket reads
 * and the index entries of two partial minutes, however many jobs are stored.
 */
public final class JobCounter {

    private final ReadOnlyKeyValueStore<String, Long> counts;
    private final ReadOnlyKeyValueStore<String, String> index;

    public JobCounter(ReadOnlyKeyValueStore<String, Long> counts, ReadOnlyKeyValueStore<String, String> index) {
        this.counts = counts;
        this.index = index;
    }

    /** The number of jobs of {@code dimension} submitted in {@code range}. */
    public long count(Dimension dimension, TimeRange range) {
        if (range.isAll()) {
            Long total = counts.get(TimeBuckets.totalKey(dimension));
            return total == null ? 0 : total;
        }
        return count(dimension, range.from(), range.to(), 0);
    }

    private long count(Dimension dimension, long from, long to, int level) {
        if (from >= to) {
            return 0;
        }
        if (level == TimeBuckets.LEVELS.size()) {
            return scan(dimension, new TimeRange(from, to));
        }
        TimeBuckets.Level size = TimeBuckets.LEVELS.get(level);
        long firstWhole = -Math.floorDiv(-from, size.millis()); // ceiling
        long endWhole = Math.floorDiv(to, size.millis()); // whole buckets: [firstWhole, endWhole)
        if (firstWhole >= endWhole) {
            return count(dimension, from, to, level + 1);
        }
        return sumBuckets(dimension, size, firstWhole, endWhole - 1)
                + count(dimension, from, firstWhole * size.millis(), level + 1)
                + count(dimension, endWhole * size.millis(), to, level + 1);
    }

    private long sumBuckets(Dimension dimension, TimeBuckets.Level level, long first, long last) {
        long sum = 0;
        try (KeyValueIterator<String, Long> it = counts.range(
                TimeBuckets.bucketKey(dimension, level, first), TimeBuckets.bucketKey(dimension, level, last))) {
            while (it.hasNext()) {
                sum += it.next().value;
            }
        }
        return sum;
    }

    private long scan(Dimension dimension, TimeRange range) {
        String prefix = dimension.indexPrefix();
        long n = 0;
        try (KeyValueIterator<String, String> it = index.range(prefix + range.lowestId(), prefix + range.aboveHighestId())) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
