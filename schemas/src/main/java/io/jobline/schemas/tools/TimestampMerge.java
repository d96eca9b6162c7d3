package io.jobline.schemas.tools;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Merges the records of several partitions, each arriving in offset order, into one sequence in timestamp order
 * (ties: topic, partition, offset), without reading everything first: a record is released only once every
 * partition still open has a record buffered to compare it with, or has ended. Each partition keeps its own
 * order, so the records of one job stay in the order they were written.
 */
final class TimestampMerge<K, V> {

    private static final Comparator<ConsumerRecord<?, ?>> ORDER = Comparator
            .<ConsumerRecord<?, ?>>comparingLong(ConsumerRecord::timestamp)
            .thenComparing(ConsumerRecord::topic)
            .thenComparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset);

    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<K, V>>> buffers = new HashMap<>();
    private final Set<TopicPartition> open = new HashSet<>();

    TimestampMerge(Set<TopicPartition> partitions) {
        partitions.forEach(tp -> buffers.put(tp, new ArrayDeque<>()));
        open.addAll(partitions);
    }

    void add(ConsumerRecord<K, V> record) {
        buffers.get(new TopicPartition(record.topic(), record.partition())).addLast(record);
    }

    /** No more records will come from this partition. */
    void end(TopicPartition partition) {
        open.remove(partition);
    }

    int buffered(TopicPartition partition) {
        return buffers.get(partition).size();
    }

    /** Every partition has ended and every record has been released. */
    boolean done() {
        return open.isEmpty() && buffers.values().stream().allMatch(ArrayDeque::isEmpty);
    }

    /** Releases, in order, every record that no record still to come can precede. */
    void release(Consumer<ConsumerRecord<K, V>> sink) {
        while (true) {
            ConsumerRecord<K, V> first = null;
            for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<K, V>>> entry : buffers.entrySet()) {
                ConsumerRecord<K, V> head = entry.getValue().peekFirst();
                if (head == null) {
                    if (open.contains(entry.getKey())) {
                        return; // this partition's next record could come first
                    }
                } else if (first == null || ORDER.compare(head, first) < 0) {
                    first = head;
                }
            }
            if (first == null) {
                return;
            }
            buffers.get(new TopicPartition(first.topic(), first.partition())).removeFirst();
            sink.accept(first);
        }
    }
}
