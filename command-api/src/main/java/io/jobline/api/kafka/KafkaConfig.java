package io.jobline.api.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.LoggingProducerListener;

import io.jobline.api.ApiProperties;
import io.jobline.schemas.BrokerProbe;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.TopicSettings;
import io.jobline.schemas.Topics;

/**
 * Kafka wiring of the API: the topics to create at start-up, the command producer and the broker probe. Broker
 * address and security come from {@code spring.kafka.*} (see {@code command-api.yml}).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConfig {

    /** Kafka 4's default {@code linger.ms}, used when none is configured. */
    private static final long DEFAULT_LINGER_MS = 5;

    @Bean
    public KafkaAdmin.NewTopics joblineTopics(Environment environment) {
        TopicSettings settings = Binder.get(environment).bindOrCreate("jobline.topics", TopicSettings.class);
        return new KafkaAdmin.NewTopics(Topics.definitions(settings).toArray(NewTopic[]::new));
    }

    /**
     * The producer of {@code jobline.commands}: idempotent and {@code acks=all} whatever the configuration says,
     * and with its timeouts bounded by {@code jobline.api.kafka-ack-timeout}, so that neither {@code send()}
     * (metadata wait, {@code max.block.ms}) nor the delivery ({@code delivery.timeout.ms}) outlives the HTTP answer
     * by more than that.
     */
    @Bean
    public ProducerFactory<String, JobCommand> commandProducerFactory(KafkaProperties kafka, ApiProperties api) {
        Map<String, Object> config = producerConfig(kafka.buildProducerProperties(), api);
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), Topics.COMMANDS.valueSerde().serializer());
    }

    static Map<String, Object> producerConfig(Map<String, Object> base, ApiProperties api) {
        Map<String, Object> config = new HashMap<>(base);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "command-api");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        long ackMs = Math.max(1000, api.kafkaAckTimeout().toMillis());
        long lingerMs = lingerMs(config.get(ProducerConfig.LINGER_MS_CONFIG));
        // Kafka parses strings for every config type, so no Integer/Long mismatch can arise here
        config.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ackMs));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(ackMs));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(500, ackMs - lingerMs)));
        return config;
    }

    private static long lingerMs(Object configured) {
        if (configured == null) {
            return DEFAULT_LINGER_MS;
        }
        long value = configured instanceof Number n ? n.longValue() : Long.parseLong(configured.toString().strip());
        return Math.min(Math.max(0, value), 100);
    }

    @Bean
    public KafkaTemplate<String, JobCommand> commandTemplate(ProducerFactory<String, JobCommand> commandProducerFactory) {
        KafkaTemplate<String, JobCommand> template = new KafkaTemplate<>(commandProducerFactory);
        // failed sends are logged with key and error, but without the record (job parameters stay out of logs)
        LoggingProducerListener<String, JobCommand> listener = new LoggingProducerListener<>();
        listener.setIncludeContents(false);
        template.setProducerListener(listener);
        return template;
    }

    @Bean(destroyMethod = "close")
    public BrokerProbe brokerProbe(KafkaProperties kafka, ApiProperties api) {
        return new BrokerProbe(kafka.buildAdminProperties(), "command-api-probe", api.brokerProbeTimeout());
    }
}
