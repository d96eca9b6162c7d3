package io.jobline.processor.intake;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.TimestampedException;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.util.backoff.FixedBackOff;

import io.jobline.processor.poison.UnusableRecordException;
import io.jobline.schemas.Topics;
import io.jobline.schemas.deadletter.DeadLetters;

/**
 * The consumer side: how commands are read, and where the ones that cannot be handled go.
 *
 * <p>Values arrive as bytes; the listener decodes them (so that a dead letter always carries the bytes as they were).
 *
 * <p>The container is transactional, so failures are handled by its {@code AfterRollbackProcessor} (spring-kafka's
 * transactional counterpart of the {@code DefaultErrorHandler}, which a transactional container does not use by
 * default): records that cannot be decoded or applied ({@link UnusableRecordException}) go to {@code jobline.dlq} at
 * once; records whose handling fails otherwise are retried twice, a second apart, then go there too. The dead-letter
 * record is written in a new transaction that also commits the failed record's offset ({@code commitRecovered}),
 * through the same transactional template as the events. It has the original key, value and headers, and the
 * {@link DeadLetters} headers (source, reason, this consumer group) instead of spring-kafka's own, as the dead letters
 * of the other services do.
 */
@Configuration(proxyBeanMethods = false)
public class IntakeKafkaConfig {

    @Bean
    DefaultKafkaConsumerFactoryCustomizer joblineConsumerFactoryCustomizer() {
        return factory -> {
            @SuppressWarnings("unchecked")
            DefaultKafkaConsumerFactory<String, byte[]> consumerFactory = (DefaultKafkaConsumerFactory<String, byte[]>) factory;
            consumerFactory.setKeyDeserializer(new StringDeserializer());
            consumerFactory.setValueDeserializer(new ByteArrayDeserializer());
        };
    }

    /**
     * Boot's transaction manager, but with transaction synchronization on (spring-kafka turns it off by default): the
     * listener starts a job only once the transaction carrying its {@code JobStarted} committed, through
     * {@code TransactionSynchronization.afterCommit}. This service has no other transactional resource.
     */
    @Bean
    KafkaTransactionManager<Object, Object> kafkaTransactionManager(ProducerFactory<Object, Object> producerFactory) {
        KafkaTransactionManager<Object, Object> transactionManager = new KafkaTransactionManager<>(producerFactory);
        transactionManager.setTransactionSynchronization(AbstractPlatformTransactionManager.SYNCHRONIZATION_ALWAYS);
        return transactionManager;
    }

    @Bean
    DeadLetterPublishingRecoverer deadLetterPublishingRecoverer(KafkaTemplate<Object, Object> template,
            KafkaProperties kafkaProperties) {
        // partition -1: the producer picks the partition from the key (the job id), whatever the DLQ's partition count
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.DLQ.name(), -1));
        recoverer.excludeHeader(HeadersToAdd.values());
        String group = kafkaProperties.getConsumer().getGroupId();
        recoverer.setHeadersFunction((record, exception) -> {
            Headers headers = new RecordHeaders();
            DeadLetters.addHeaders(headers, group, record.topic(), record.partition(), record.offset(),
                    reason(exception));
            return headers;
        });
        return recoverer;
    }

    @Bean
    DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(DeadLetterPublishingRecoverer recoverer,
            KafkaTemplate<Object, Object> template) {
        DefaultAfterRollbackProcessor<Object, Object> processor = new DefaultAfterRollbackProcessor<>(recoverer,
                new FixedBackOff(1000L, 2L), template, true);
        processor.addNotRetryableExceptions(UnusableRecordException.class);
        return processor;
    }

    /** What went wrong, without the container's wrappers around it. */
    static Throwable reason(Exception exception) {
        Throwable reason = exception;
        while ((reason instanceof ListenerExecutionFailedException || reason instanceof TimestampedException)
                && reason.getCause() != null) {
            reason = reason.getCause();
        }
        return reason;
    }
}
