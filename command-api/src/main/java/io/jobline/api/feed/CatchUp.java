package io.jobline.api.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.Topics;

/**
 * Replays to a resumed stream what it missed before the feed's buffer: a short-lived consumer reads each partition
 * from the stream's cursor up to where the feed was when the stream registered (the feed holds what came later).
 * It reads at most {@code catch-up-max-records} records within {@code catch-up-timeout}; otherwise the stream gets
 * {@code resync}.
 */
final class CatchUp implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final FeedRecordDecoder decoder;
    private final FeedStream stream;
    private final int[] partitions;
    private final long[] from;
    private final long[] until;
    private final AtomicLongArray feedPositions;
    private final int maxRecords;
    private final Duration timeout;

    CatchUp(Map<String, Object> consumerConfig, FeedRecordDecoder decoder, FeedStream stream, int[] partitions,
            long[] from, long[] until, AtomicLongArray feedPositions, FeedProperties properties) {
        this.consumerConfig = consumerConfig;
        this.decoder = decoder;
        this.stream = stream;
        this.partitions = partitions;
        this.from = from;
        this.until = until;
        this.feedPositions = feedPositions;
        this.maxRecords = properties.catchUpMaxRecords();
        this.timeout = properties.catchUpTimeout();
    }

    @Override
    public void run() {
        List<TopicPartition> behind = new ArrayList<>();
        for (int partition : partitions) {
            if (from[partition] < until[partition]) {
                behind.add(new TopicPartition(Topics.JOB_STATUS.name(), partition));
            }
        }
        try {
            if (!behind.isEmpty() && !read(behind)) {
                return;
            }
            stream.caughtUp(feedPositions);
        } catch (OffsetOutOfRangeException | NoOffsetForPartitionException e) {
            stream.resync(Resync.CURSOR_TOO_OLD);
        } catch (KafkaException e) {
            log.warn("catch-up of a stream failed: {}", e.toString());
            stream.resync(Resync.CATCH_UP_FAILED);
        }
    }

    /** Replays the records before {@code until}; false when the stream ended on the way. */
    private boolean read(List<TopicPartition> behind) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(behind);
            for (TopicPartition partition : behind) {
                consumer.seek(partition, from[partition.partition()]);
            }
            List<TopicPartition> reading = new ArrayList<>(behind);
            while (!reading.isEmpty()) {
                if (stream.isOver()) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    stream.resync(Resync.CATCH_UP_FAILED);
                    return false;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= until[record.partition()]) {
                        continue; // the feed holds it
                    }
                    if (++read > maxRecords) {
                        stream.resync(Resync.CURSOR_TOO_OLD);
                        return false;
                    }
                    stream.replay(record.partition(), record.offset(), decoder.decode(record));
                }
                List<TopicPartition> done = reading.stream()
                        .filter(partition -> consumer.position(partition) >= until[partition.partition()])
                        .toList();
                consumer.pause(done);
                reading.removeAll(done);
            }
            return true;
        }
    }
}
