package io.jobline.api.feed;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/** What the two cursor formats share. */
final class Cursors {

    /** The request header a reconnecting SSE client sends with the id of the last event it got. */
    static final String LAST_EVENT_ID = "Last-Event-ID";

    private Cursors() {
    }

    /** The partition of {@code jobline.job-status} that holds a job: Kafka's default partitioning of its key. */
    static int partitionOf(String jobId, int partitions) {
        return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
