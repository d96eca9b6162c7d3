package io.jobline.schemas.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TimestampMergeTest {

    private static final TopicPartition COMMANDS_0 = new TopicPartition("jobline.commands", 0);
    private static final TopicPartition EVENTS_0 = new TopicPartition("jobline.events", 0);
    private static final TopicPartition EVENTS_1 = new TopicPartition("jobline.events", 1);

    private final TimestampMerge<String, String> merge = new TimestampMerge<>(Set.of(COMMANDS_0, EVENTS_0, EVENTS_1));
    private final List<String> released = new ArrayList<>();

    @Test
    void releasesARecordOnlyWhenEveryOpenPartitionHasOneToCompareWith() {
        merge.add(record(EVENTS_0, 0, 20));
        merge.add(record(COMMANDS_0, 0, 10));
        merge.release(this::collect);
        assertThat(released).as("events-1 may still bring an earlier record").isEmpty();

        merge.add(record(EVENTS_1, 0, 15));
        merge.release(this::collect);
        assertThat(released).as("commands-0 may still bring a record before t=15").containsExactly("jobline.commands-0@0 t=10");

        merge.end(COMMANDS_0);
        merge.release(this::collect);
        assertThat(released).containsExactly("jobline.commands-0@0 t=10", "jobline.events-1@0 t=15");

        merge.end(EVENTS_1);
        merge.release(this::collect);
        assertThat(released).endsWith("jobline.events-0@0 t=20");
        assertThat(merge.done()).isFalse();
        merge.end(EVENTS_0);
        assertThat(merge.done()).isTrue();
    }

    @Test
    void breaksTiesByTopicThenPartitionAndKeepsEachPartitionsOrder() {
        merge.add(record(EVENTS_1, 0, 10));
        merge.add(record(EVENTS_0, 0, 10));
        merge.add(record(COMMANDS_0, 0, 10));
        // a partition's records come in offset order even when a clock went backwards
        merge.add(record(EVENTS_0, 1, 30));
        merge.add(record(EVENTS_0, 2, 25));
        Set.of(COMMANDS_0, EVENTS_0, EVENTS_1).forEach(merge::end);

        merge.release(this::collect);

        assertThat(released).containsExactly("jobline.commands-0@0 t=10", "jobline.events-0@0 t=10",
                "jobline.events-1@0 t=10", "jobline.events-0@1 t=30", "jobline.events-0@2 t=25");
        assertThat(merge.done()).isTrue();
    }

    private void collect(ConsumerRecord<String, String> record) {
        released.add(record.topic() + "-" + record.partition() + "@" + record.offset() + " t=" + record.timestamp());
    }

    private static ConsumerRecord<String, String> record(TopicPartition partition, long offset, long timestamp) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, timestamp,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, "k", "v",
                new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
    }
}
