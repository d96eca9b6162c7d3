package io.jobline.api.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps the deployment's SASL settings ({@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG},
 * {@code KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS}, e.g. for MSK IAM auth) to
 * {@code spring.kafka.properties.sasl.*}, but only those that are set and not blank: an empty
 * {@code sasl.client.callback.handler.class} would make every Kafka client fail to start in the PLAINTEXT case.
 * The source is added last, so an explicit {@code spring.kafka.properties.sasl.*} (file, env, command line) wins.
 */
public class KafkaSaslEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "joblineKafkaSasl";

    private static final Map<String, String> MAPPING = Map.of(
            "KAFKA_SASL_MECHANISM", "spring.kafka.properties.sasl.mechanism",
            "KAFKA_SASL_JAAS_CONFIG", "spring.kafka.properties.sasl.jaas.config",
            "KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS", "spring.kafka.properties.sasl.client.callback.handler.class");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = new LinkedHashMap<>();
        MAPPING.forEach((variable, property) -> {
            String value = environment.getProperty(variable);
            if (value != null && !value.isBlank()) {
                properties.put(property, value.strip());
            }
        });
        if (!properties.isEmpty() && !environment.getPropertySources().contains(SOURCE_NAME)) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, properties));
        }
    }
}
