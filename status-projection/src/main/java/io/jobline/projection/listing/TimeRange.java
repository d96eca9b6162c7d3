package io.jobline.projection.listing;

import java.time.Instant;

/**
 * Submission times {@code [from, to)} in epoch milliseconds, clamped to what a job id can hold.
 *
 * @param from inclusive, ≥ 0
 * @param to   exclusive, at most {@link #UNBOUNDED}
 */
public record TimeRange(long from, long to) {

    /** {@code to} of a range without upper bound. */
    public static final long UNBOUNDED = JobIds.MAX_MILLIS + 1;

    /** Every time. */
    public static final TimeRange ALL = new TimeRange(0, UNBOUNDED);

    public TimeRange {
        from = Math.max(0, Math.min(UNBOUNDED, from));
        to = Math.max(0, Math.min(UNBOUNDED, to));
    }

    /** {@code [after, before)}; either may be null for no bound. */
    public static TimeRange of(Instant after, Instant before) {
        return new TimeRange(after == null ? 0 : millis(after), before == null ? UNBOUNDED : millis(before));
    }

    private static long millis(Instant instant) {
        if (instant.getEpochSecond() < 0) {
            return 0;
        }
        if (instant.getEpochSecond() > UNBOUNDED / 1000) {
            return UNBOUNDED;
        }
        // round up: an instant within a millisecond admits only the ids of the next one (ids hold whole ms)
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }

    public boolean isAll() {
        return from == 0 && to == UNBOUNDED;
    }

    public boolean isEmpty() {
        return from >= to;
    }

    /** The smallest id string of the range (inclusive). */
    String lowestId() {
        return JobIds.floor(from);
    }

    /** An id string above every id of the range and below every later one; never equal to an id. */
    String aboveHighestId() {
        return to >= UNBOUNDED ? JobIds.ABOVE_ALL : JobIds.floor(to);
    }
}
