package io.jobline.processor.cancel;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the cancel watch starts reading each commands partition: the look-back before the intake group's committed
 * offset, measured back from the last command the group handled there (not from now: a busy group lags, and the
 * submissions that matter are those just before where it stands). A partition the group never read is read from its
 * beginning, as the intake will.
 */
final class WatchStart {

    /** How long reading the last handled command of every partition may take before "now" stands in for its time. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private WatchStart() {
    }

    static Map<TopicPartition, Long> offsets(Consumer<?, ?> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, OffsetAndMetadata> committed, Duration lookback, Instant now) {
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> committedOffsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null && offset.offset() > beginnings.get(partition)) {
                committedOffsets.put(partition, offset.offset());
            }
        }
        Map<TopicPartition, Long> starts = new HashMap<>(beginnings);
        starts.putAll(committedOffsets);
        if (committedOffsets.isEmpty() || lookback.isZero()) {
            return starts;
        }
        Map<TopicPartition, Long> lastHandledAt = timestampsBefore(consumer, committedOffsets);
        Map<TopicPartition, Long> targets = new HashMap<>();
        committedOffsets.keySet().forEach(partition -> targets.put(partition,
                Math.min(now.toEpochMilli(), lastHandledAt.getOrDefault(partition, now.toEpochMilli()))
                        - lookback.toMillis()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(targets);
        found.forEach((partition, offset) -> {
            if (offset != null) {
                starts.merge(partition, offset.offset(), Math::min);
            }
        });
        return starts;
    }

    /**
     * The timestamp of the record before each offset: the command the intake group handled last (or, when that offset
     * holds no record, say a transaction marker, the next one). Leaves the consumer without partitions.
     */
    private static Map<TopicPartition, Long> timestampsBefore(Consumer<?, ?> consumer,
            Map<TopicPartition, Long> offsets) {
        consumer.assign(offsets.keySet());
        offsets.forEach((partition, offset) -> consumer.seek(partition, offset - 1));
        Map<TopicPartition, Long> ends = consumer.endOffsets(offsets.keySet());
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && offsets.keySet().stream().anyMatch(partition ->
                !timestamps.containsKey(partition) && consumer.position(partition) < ends.get(partition))) {
            for (ConsumerRecord<?, ?> record : consumer.poll(Duration.ofMillis(200))) {
                timestamps.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.timestamp());
            }
        }
        consumer.assign(List.of());
        return timestamps;
    }
}
