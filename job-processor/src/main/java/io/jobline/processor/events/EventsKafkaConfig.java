package io.jobline.processor.events;

import java.util.Map;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;

import io.jobline.processor.ProcessorProperties;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.Topics;

/**
 * The one producer factory of the processor (Boot's, customized here). It is transactional: Boot builds a
 * {@code KafkaTransactionManager} on it because {@code spring.kafka.producer.transaction-id-prefix} is set, and the
 * listener container uses that manager. The prefix gets the worker id appended, so two instances never share (and
 * fence each other's) transactional ids.
 *
 * <p>Values are serialized by type: {@link JobEvent}s for {@code jobline.events}, {@link JobLogChunk}s for
 * {@code jobline.logs}, and for {@code jobline.dlq} the commands that cannot be handled, as the bytes they were read
 * as. One factory for both means the dead-letter record and the offset commit of the failed command share a
 * transaction.
 */
@Configuration(proxyBeanMethods = false)
public class EventsKafkaConfig {

    @Bean
    DefaultKafkaProducerFactoryCustomizer joblineProducerFactoryCustomizer(KafkaProperties kafka,
            ProcessorProperties processor) {
        String prefix = transactionIdPrefix(kafka, processor);
        return factory -> {
            @SuppressWarnings("unchecked")
            DefaultKafkaProducerFactory<String, Object> producerFactory = (DefaultKafkaProducerFactory<String, Object>) factory;
            producerFactory.setKeySerializer(new StringSerializer());
            producerFactory.setValueSerializer(valueSerializer());
            producerFactory.setTransactionIdPrefix(prefix);
        };
    }

    static String transactionIdPrefix(KafkaProperties kafka, ProcessorProperties processor) {
        String base = kafka.getProducer().getTransactionIdPrefix();
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("spring.kafka.producer.transaction-id-prefix must be set: "
                    + "the job processor writes its events in Kafka transactions");
        }
        return base + processor.workerId() + "-";
    }

    static Serializer<Object> valueSerializer() {
        return new DelegatingByTypeSerializer(Map.of(
                JobEvent.class, Topics.EVENTS.valueSerde().serializer(),
                JobLogChunk.class, Topics.LOGS.valueSerde().serializer(),
                byte[].class, new ByteArraySerializer()));
    }
}
