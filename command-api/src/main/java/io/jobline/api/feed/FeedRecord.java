package io.jobline.api.feed;

import java.util.Set;

/**
 * One record of {@code jobline.job-status} as the streams use it: where it is in Kafka, whose job it is, and the
 * public job JSON, written once for every client that gets it.
 *
 * @param partition the partition of {@code jobline.job-status}
 * @param offset    its offset there
 * @param jobId     the record key
 * @param owner     the job's owner (null for a view written before the submission was seen)
 * @param version   the view's version: counts the changes of the job, so it grows with every record of a job
 * @param status    the job's status name
 * @param json      the view as the public job JSON
 */
record FeedRecord(int partition, long offset, String jobId, String owner, long version, String status, String json) {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    /** Whether the job has ended (until it is retried): a job stream ends with such a record. */
    boolean terminal() {
        return isTerminal(status);
    }

    static boolean isTerminal(String status) {
        return TERMINAL.contains(status);
    }
}
