package io.jobline.projection.listing;

import java.util.List;

/**
 * The time buckets jobs are counted in, per dimension: by day, hour and minute of their submission (UTC,
 * from the id). A count over a time range adds up the whole days inside it, then the whole hours and
 * minutes at its two edges, and scans the index only for the part of a minute left at each edge.
 */
final class TimeBuckets {

    /** A bucket size, and the letter that names it in count keys. */
    record Level(char letter, long millis) {
    }

    static final List<Level> LEVELS = List.of(
            new Level('d', 86_400_000L), new Level('h', 3_600_000L), new Level('m', 60_000L));

    private TimeBuckets() {
    }

    /** The key of a dimension's total count. */
    static String totalKey(Dimension dimension) {
        return dimension.name();
    }

    /** The key of the count of one bucket ({@code bucket} = start millis / level millis). */
    static String bucketKey(Dimension dimension, Level level, long bucket) {
        return dimension.name() + Dimension.SEPARATOR + level.letter() + Dimension.SEPARATOR + String.format("%012d", bucket);
    }
}
