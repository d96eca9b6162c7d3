package io.jobline.schemas.deadletter;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' handler for records that cannot be deserialized or processed: writes their dead letter to
 * {@code jobline.dlq} (see {@link DeadLetters}) and lets the stream carry on. If the dead letter cannot be written the
 * stream thread fails instead, so that no record is dropped without a trace.
 *
 * <p>Streams creates one instance per stream thread and configures it with the application's settings; the handler
 * writes with an idempotent producer made from the client settings in there (bootstrap servers, security), so it
 * works the same on the local broker and on MSK. A failure in a punctuator (no source record) is reported with the
 * processor's name as its source.
 */
public class StreamsDeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(StreamsDeadLetterHandler.class);

    private static final AtomicInteger producers = new AtomicInteger();

    private Map<String, Object> producerConfig;
    private String consumer;

    @Override
    public void configure(Map<String, ?> configs) {
        consumer = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
        producerConfig = producerConfig(configs);
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        boolean written = send(DeadLetters.record(consumer, record.topic(), record.partition(), record.offset(),
                record.key(), record.value(), record.headers(), exception));
        return written ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String source = context.topic() != null ? context.topic() : "punctuator of " + context.processorNodeId();
        boolean written = send(DeadLetters.record(consumer, source, context.partition(), context.offset(),
                context.sourceRawKey(), context.sourceRawValue(), context.headers(), exception));
        return written ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
    }

    private boolean send(ProducerRecord<byte[], byte[]> deadLetter) {
        String source = DeadLetters.header(deadLetter.headers(), DeadLetters.SOURCE_TOPIC) + "-"
                + DeadLetters.header(deadLetter.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                + DeadLetters.header(deadLetter.headers(), DeadLetters.SOURCE_OFFSET);
        Producer<byte[], byte[]> producer = newProducer();
        try {
            producer.send(deadLetter).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.warn("{} skipped the record at {} and wrote it to {}: {}", consumer, source, deadLetter.topic(),
                    DeadLetters.header(deadLetter.headers(), DeadLetters.REASON));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("{} was interrupted writing the dead letter of {}", consumer, source);
            return false;
        } catch (ExecutionException | TimeoutException e) {
            log.error("{} could not write the dead letter of {}: stopping rather than losing it", consumer, source, e);
            return false;
        } finally {
            producer.close(CLOSE_TIMEOUT);
        }
    }

    /**
     * A producer per dead letter: they are rare, and Streams never tells a handler that it is done, so a kept producer
     * would outlive its stream thread.
     */
    private Producer<byte[], byte[]> newProducer() {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, producerConfig.get(ProducerConfig.CLIENT_ID_CONFIG) + "-"
                + producers.incrementAndGet());
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The producer settings among the application's (client and security settings), for an idempotent producer. */
    static Map<String, Object> producerConfig(Map<String, ?> streamsConfigs) {
        Map<String, Object> config = new HashMap<>();
        for (Map.Entry<String, ?> entry : streamsConfigs.entrySet()) {
            String name = entry.getKey();
            String producerName = name.startsWith(StreamsConfig.PRODUCER_PREFIX)
                    ? name.substring(StreamsConfig.PRODUCER_PREFIX.length()) : name;
            if (ProducerConfig.configNames().contains(producerName) && entry.getValue() != null
                    && !isStreamsOwn(producerName)) {
                config.put(producerName, entry.getValue());
            }
        }
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG,
                streamsConfigs.get(StreamsConfig.APPLICATION_ID_CONFIG)) + "-dead-letters");
        return config;
    }

    /** Settings of the stream's own producers that must not leak into this one. */
    private static boolean isStreamsOwn(String name) {
        return name.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
                || name.equals(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)
                || name.equals(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)
                || name.equals(ProducerConfig.CLIENT_ID_CONFIG)
                || name.equals(ProducerConfig.PARTITIONER_CLASS_CONFIG)
                || name.equals(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
    }
}
