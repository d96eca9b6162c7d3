package io.jobline.projection.history;

/**
 * Keys of the {@code job-history} store: {@code <jobId>/<seq, 10 digits>}. Zero-padded, so that a job's
 * entries are one range in the order they were applied. Job ids all have the same length (UUIDs), so one
 * job's range never takes in another's keys.
 */
public final class HistoryKeys {

    private static final char SEPARATOR = '/';
    /** Sorts above every digit. */
    private static final char END = '~';

    private HistoryKeys() {
    }

    public static String entryKey(String jobId, long seq) {
        return jobPrefix(jobId) + String.format("%010d", seq);
    }

    static String jobPrefix(String jobId) {
        return jobId + SEPARATOR;
    }

    static String jobUpperBound(String jobId) {
        return jobPrefix(jobId) + END;
    }

    static long seqOf(String key) {
        return Long.parseLong(key, key.lastIndexOf(SEPARATOR) + 1, key.length(), 10);
    }
}
