package io.jobline.processor.intake;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.util.backoff.FixedBackOff;

import io.jobline.schemas.JobCommand;
import io.jobline.schemas.Topics;

/**
 * The consumer side: how commands are decoded, and where the ones that cannot be handled go.
 *
 * <p>Values are decoded by the {@code JobCommand} Avro serde inside an {@link ErrorHandlingDeserializer}, so a record
 * that does not decode reaches the container as a {@code DeserializationException} instead of failing the poll.
 *
 * <p>The container is transactional, so failures are handled by its {@code AfterRollbackProcessor} (spring-kafka's
 * transactional counterpart of the {@code DefaultErrorHandler}, which a transactional container does not use by
 * default): records that do not decode go to {@code jobline.dlq} at once; records whose handling fails are retried
 * twice, a second apart, then go there too. The dead-letter record is written in a new transaction that also
 * commits the failed record's offset ({@code commitRecovered}), through the same transactional template as the events.
 */
@Configuration(proxyBeanMethods = false)
public class IntakeKafkaConfig {

    @Bean
    DefaultKafkaConsumerFactoryCustomizer joblineConsumerFactoryCustomizer() {
        return factory -> {
            @SuppressWarnings("unchecked")
            DefaultKafkaConsumerFactory<String, JobCommand> consumerFactory = (DefaultKafkaConsumerFactory<String, JobCommand>) factory;
            consumerFactory.setKeyDeserializer(new StringDeserializer());
            consumerFactory.setValueDeserializer(new ErrorHandlingDeserializer<>(Topics.COMMANDS.valueSerde().deserializer()));
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
    DeadLetterPublishingRecoverer deadLetterPublishingRecoverer(KafkaTemplate<Object, Object> template) {
        // partition -1: the producer picks the partition from the key (the job id), whatever the DLQ's partition count
        return new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.DLQ.name(), -1));
    }

    @Bean
    DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(DeadLetterPublishingRecoverer recoverer,
            KafkaTemplate<Object, Object> template) {
        return new DefaultAfterRollbackProcessor<>(recoverer, new FixedBackOff(1000L, 2L), template, true);
    }
}
