package io.jobline.api.feed;

import static io.jobline.api.feed.StatusWriter.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.jobline.api.feed.SseClient.Event;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.Topics;
import io.jobline.schemas.deadletter.DeadLetters;

/**
 * A record of {@code jobline.job-status} that cannot be decoded, on the real broker: the feed writes its dead letter
 * to {@code jobline.dlq} (original key, value and headers, plus where it came from and why) and goes on delivering
 * the records after it.
 */
class PoisonRecordIT extends FeedIntegrationTest {

    @Test
    void anUndecodableRecordIsDeadLetteredAndTheNextRecordIsStillDelivered() throws Exception {
        int partition = 1;
        String poisonKey = newJobIdOn(partition);
        byte[] garbage = {(byte) 0xC3, 0x01, 0x42, 0x13, 0x37, 0x00, (byte) 0xFF};
        RecordMetadata poison;
        String next = newJobIdOn(partition);
        try (SseClient stream = SseClient.open(url("/jobs/stream"), null);
                KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            stream.next(WAIT);
            RecordHeaders headers = new RecordHeaders();
            headers.add("origin", "a broken writer".getBytes(StandardCharsets.UTF_8));
            poison = raw.send(new ProducerRecord<>(Topics.JOB_STATUS.name(), partition,
                    poisonKey.getBytes(StandardCharsets.UTF_8), garbage, headers)).get();
            writer.write(view(next, OWNER, JobStatus.PENDING, 1));

            Event delivered = stream.nextJob(WAIT);
            assertThat(JobEventStreamsIT.json(delivered).get("id").asString()).isEqualTo(next);
        }

        ConsumerRecord<byte[], byte[]> letter = deadLetterOf(partition, poison.offset());
        assertThat(letter.key()).isEqualTo(poisonKey.getBytes(StandardCharsets.UTF_8));
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.JOB_STATUS.name());
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo(String.valueOf(partition));
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo(String.valueOf(poison.offset()));
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.CONSUMER)).isEqualTo("command-api feed");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).contains("SerializationException");
        assertThat(Instant.parse(DeadLetters.header(letter.headers(), DeadLetters.FAILED_AT)))
                .isBetween(Instant.now().minusSeconds(120), Instant.now());
        assertThat(DeadLetters.header(letter.headers(), "origin")).isEqualTo("a broken writer");
    }

    @Test
    void aValidViewUnderAKeyThatIsNoTextIsDeadLetteredToo() throws Exception {
        byte[] key = {(byte) 0xFF, (byte) 0xFE, 0x00};
        byte[] value = Topics.JOB_STATUS.valueSerde().serializer()
                .serialize(Topics.JOB_STATUS.name(), view(newJobId(), OWNER, JobStatus.PENDING, 1));
        RecordMetadata poison;
        try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            poison = raw.send(new ProducerRecord<>(Topics.JOB_STATUS.name(), 2, key, value)).get();
        }
        ConsumerRecord<byte[], byte[]> letter = deadLetterOf(2, poison.offset());
        assertThat(letter.key()).isEqualTo(key);
        assertThat(letter.value()).isEqualTo(value);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).contains("not UTF-8");
    }

    /** The dead letter of the record at {@code offset} of {@code partition} of jobline.job-status, waited for. */
    private ConsumerRecord<byte[], byte[]> deadLetterOf(int partition, long offset) {
        Duration timeout = WAIT;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ.name(), timeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Topics.JOB_STATUS.name().equals(DeadLetters.header(record.headers(), DeadLetters.SOURCE_TOPIC))
                            && String.valueOf(partition).equals(DeadLetters.header(record.headers(), DeadLetters.SOURCE_PARTITION))
                            && String.valueOf(offset).equals(DeadLetters.header(record.headers(), DeadLetters.SOURCE_OFFSET))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter of " + Topics.JOB_STATUS.name() + "-" + partition + "@" + offset
                + " within " + timeout);
    }

    private KafkaProducer<byte[], byte[]> rawProducer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
