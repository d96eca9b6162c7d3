package io.jobline.api.feed;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import io.jobline.schemas.Topics;
import io.jobline.schemas.deadletter.DeadLetters;

/**
 * Dead letters of the feed: a record of {@code jobline.job-status} that the feed cannot decode goes to
 * {@code jobline.dlq} as it was (key, value, headers) with the {@link DeadLetters} headers, consumer
 * {@value #CONSUMER}, and the feed carries on. The write is asynchronous (the feed thread never waits for it); a
 * failed write is logged with the record's coordinates.
 *
 * <p>Every API instance runs a feed, so each writes its own dead letter of a bad record (and again after a restart
 * if the record is still within the replay buffer); they share source topic, partition and offset.
 */
@Component
class FeedDeadLetters implements DisposableBean {

    static final String CONSUMER = "command-api feed";

    private static final Logger log = LoggerFactory.getLogger(FeedDeadLetters.class);

    private final Producer<byte[], byte[]> producer;

    FeedDeadLetters(KafkaProperties kafka) {
        this.producer = new KafkaProducer<>(producerConfig(kafka.buildProducerProperties()), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    static Map<String, Object> producerConfig(Map<String, Object> base) {
        Map<String, Object> config = new HashMap<>(base);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "command-api-feed-dlq");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // the feed thread calls send(): it may wait this long at most for the DLQ's metadata
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        return config;
    }

    /** Sends {@code record}'s dead letter, giving {@code reason}. */
    void write(ConsumerRecord<byte[], byte[]> record, Throwable reason) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            producer.send(DeadLetters.record(CONSUMER, record.topic(), record.partition(), record.offset(),
                    record.key(), record.value(), record.headers(), reason), (written, error) -> {
                        if (error != null) {
                            log.error("could not write the dead letter of {} to {}: {}", where, Topics.DLQ.name(),
                                    error.toString());
                        } else {
                            log.warn("{} could not be decoded, dead letter at {}-{}@{}: {}", where, written.topic(),
                                    written.partition(), written.offset(), DeadLetters.reason(reason));
                        }
                    });
        } catch (RuntimeException e) {
            log.error("could not write the dead letter of {} to {}: {}", where, Topics.DLQ.name(), e.toString());
        }
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(5));
    }
}
