package io.jobline.projection.logs;

/**
 * Keys of the {@code job-logs} store: {@code <jobId>/<attempt, 10 digits>/<firstLine, 19 digits>}. Zero-padded,
 * so that the byte order of the keys is the order of attempts and, within an attempt, of lines: one attempt's
 * chunks are a range, read forwards or backwards. Job ids all have the same length (UUIDs), so the range of
 * one job never takes in another's keys.
 */
public final class LogKeys {

    static final char SEPARATOR = '/';
    /** Sorts above every digit, so {@code prefix + END} bounds a range of keys that start with {@code prefix}. */
    private static final char END = '~';

    private LogKeys() {
    }

    public static String chunkKey(String jobId, int attempt, long firstLine) {
        return attemptPrefix(jobId, attempt) + String.format("%019d", firstLine);
    }

    /** The prefix of every chunk key of a job. */
    public static String jobPrefix(String jobId) {
        return jobId + SEPARATOR;
    }

    /** The prefix of every chunk key of one attempt of a job. */
    public static String attemptPrefix(String jobId, int attempt) {
        return jobPrefix(jobId) + String.format("%010d", attempt) + SEPARATOR;
    }

    /** The inclusive upper bound of the keys that start with {@code prefix}. */
    public static String upperBound(String prefix) {
        return prefix + END;
    }

    /** The attempt of a chunk key. */
    public static int attemptOf(String chunkKey) {
        int end = chunkKey.lastIndexOf(SEPARATOR);
        int start = chunkKey.lastIndexOf(SEPARATOR, end - 1) + 1;
        return Integer.parseInt(chunkKey, start, end, 10);
    }
}
