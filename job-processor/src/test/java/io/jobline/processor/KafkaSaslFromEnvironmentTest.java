package io.jobline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class KafkaSaslFromEnvironmentTest {

    @Test
    void copiesOnlyTheSaslSettingsThatAreSet() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("KAFKA_SASL_MECHANISM", "AWS_MSK_IAM")
                .withProperty("KAFKA_SASL_JAAS_CONFIG", "  ")
                .withProperty("KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS", "");
        Map<String, String> properties = new HashMap<>();

        new KafkaSaslFromEnvironment(environment).apply(properties);

        assertThat(properties).containsExactly(Map.entry("sasl.mechanism", "AWS_MSK_IAM"));
    }

    @Test
    void explicitKafkaPropertiesWin() {
        MockEnvironment environment = new MockEnvironment().withProperty("KAFKA_SASL_MECHANISM", "AWS_MSK_IAM");
        Map<String, String> properties = new HashMap<>(Map.of("sasl.mechanism", "SCRAM-SHA-512"));

        new KafkaSaslFromEnvironment(environment).apply(properties);

        assertThat(properties).containsExactly(Map.entry("sasl.mechanism", "SCRAM-SHA-512"));
    }

    @Test
    void nothingIsAddedWhenNothingIsSet() {
        Map<String, String> properties = new HashMap<>();
        new KafkaSaslFromEnvironment(new MockEnvironment()).apply(properties);
        assertThat(properties).isEmpty();
    }
}
