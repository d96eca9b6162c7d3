package io.jobline.processor;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.Environment;

/**
 * Copies the SASL settings from {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG} and
 * {@code KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS} into {@code spring.kafka.properties.*}, but only the ones that are
 * set and not blank: an empty {@code sasl.client.callback.handler.class} would make every Kafka client fail to start,
 * so they cannot simply be placeholders with empty defaults in the yml. A value set explicitly under
 * {@code spring.kafka.properties.*} (e.g. {@code SPRING_KAFKA_PROPERTIES_SASL_MECHANISM}) wins.
 */
final class KafkaSaslFromEnvironment implements BeanPostProcessor {

    static final Map<String, String> VARIABLES = variables();

    private final Environment environment;

    KafkaSaslFromEnvironment(Environment environment) {
        this.environment = environment;
    }

    private static Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("KAFKA_SASL_MECHANISM", "sasl.mechanism");
        variables.put("KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config");
        variables.put("KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS", "sasl.client.callback.handler.class");
        return Map.copyOf(variables);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof KafkaProperties kafka) {
            apply(kafka.getProperties());
        }
        return bean;
    }

    void apply(Map<String, String> kafkaProperties) {
        VARIABLES.forEach((variable, kafkaKey) -> {
            String value = environment.getProperty(variable);
            if (value != null && !value.isBlank()) {
                kafkaProperties.putIfAbsent(kafkaKey, value.strip());
            }
        });
    }
}
