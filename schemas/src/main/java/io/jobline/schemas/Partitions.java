package io.jobline.schemas;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/** Where Kafka's default partitioner puts a record with a String key, so that callers can plan co-location. */
public final class Partitions {

    private Partitions() {
    }

    /** The partition of {@code partitions} that a record keyed by {@code key} (String serializer) goes to. */
    public static int of(String key, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
