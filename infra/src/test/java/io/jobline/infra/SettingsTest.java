package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Settings come from context: flat keys over the environment's block over the built-in defaults; bad ones fail. */
class SettingsTest {

    @Test
    void cdkJsonAndCdkContextJsonGiveTheExampleDevEnvironment() {
        Map<String, Object> context = JoblineApp.context(Path.of("."));
        assertThat(context).containsKey("availability-zones:account=123456789012:region=eu-west-1");
        Settings settings = Settings.from(context::get);
        assertThat(settings.env()).isEqualTo("dev");
        assertThat(settings.account()).isEqualTo(Settings.EXAMPLE_ACCOUNT);
        assertThat(settings.region()).isEqualTo(Settings.EXAMPLE_REGION);
        assertThat(settings.kafkaMode()).isEqualTo(Settings.KafkaMode.PROVISIONED);
        assertThat(settings.topicReplicationFactor()).isEqualTo(3);
    }

    @Test
    void flatKeysWinOverTheEnvironmentBlockWhichWinsOverTheDefaults() {
        Map<String, Object> context = new HashMap<>();
        context.put("env", "prod");
        context.put("jobline:prod", Map.of("processorMaxCount", 10, "brokerInstanceType", "kafka.m7g.xlarge"));
        context.put("processorMaxCount", "8"); // as the CLI passes -c values: strings
        Settings settings = Settings.from(context::get);
        assertThat(settings.processorMaxCount()).isEqualTo(8);
        assertThat(settings.brokerInstanceType()).isEqualTo("kafka.m7g.xlarge");
        assertThat(settings.natGateways()).isEqualTo(3);
        assertThat(settings.production()).isTrue();
        assertThat(Settings.from(Map.<String, Object>of("kafkaMode", "Serverless")::get).kafkaMode())
                .isEqualTo(Settings.KafkaMode.SERVERLESS);
    }

    @Test
    void impossibleSettingsFailTheSynthesis() {
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("processorMaxCount", "7")::get))
                .hasMessageContaining("above topicPartitions");
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("maxAzs", "2")::get))
                .hasMessageContaining("replication factor of 3 needs at least as many brokers");
        assertThat(Settings.from(Map.<String, Object>of("maxAzs", "2", "brokersPerAz", "2")::get).maxAzs()).isEqualTo(2);
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("kafkaMode", "serverless",
                "topicReplicationFactor", "2")::get)).hasMessageContaining("MSK Serverless");
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("jobline:dev", Map.of("brokerCount", 3))::get))
                .hasMessageContaining("unknown setting brokerCount");
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("topicPartitions", "six")::get))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("processorEphemeralGiB", "20")::get))
                .hasMessageContaining("21..200");
    }
}
