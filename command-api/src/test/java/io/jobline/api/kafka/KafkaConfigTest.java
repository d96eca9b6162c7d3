package io.jobline.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.jobline.api.ApiProperties;

class KafkaConfigTest {

    @Test
    void producerIsIdempotentWithAcksAllAndTimeoutsBoundedByTheAckTimeout() {
        Map<String, Object> config = KafkaConfig.producerConfig(
                Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                        "bootstrap.servers", "b:9092"),
                api(Duration.ofSeconds(3)));
        // what Kafka itself will use, after parsing
        ProducerConfig parsed = new ProducerConfig(withSerializers(config));
        assertThat(parsed.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
        assertThat(parsed.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(parsed.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isEqualTo(3000L);
        assertThat(parsed.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(3000);
        assertThat(parsed.getLong(ProducerConfig.LINGER_MS_CONFIG) + parsed.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG))
                .isLessThanOrEqualTo(3000L);
        assertThat(parsed.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("b:9092");
    }

    @Test
    void configuredLingerIsKeptAndTheConfigIsConsistent() {
        Map<String, Object> config = KafkaConfig.producerConfig(Map.of(ProducerConfig.LINGER_MS_CONFIG, "20"),
                api(Duration.ofMillis(1000)));
        ProducerConfig parsed = new ProducerConfig(withSerializers(config));
        assertThat(parsed.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(20L);
        assertThat(parsed.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).isEqualTo(980);
    }

    private static Map<String, Object> withSerializers(Map<String, Object> config) {
        var copy = new java.util.HashMap<>(config);
        copy.putIfAbsent("bootstrap.servers", "localhost:9092");
        copy.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class);
        copy.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return copy;
    }

    private static ApiProperties api(Duration ackTimeout) {
        return new ApiProperties(List.of("mock"), java.nio.file.Path.of("workflows"),
                ApiProperties.DEFAULT_PARAMETER_VALUE_PATTERN, ackTimeout, Duration.ofSeconds(5),
                URI.create("http://localhost:8081"), Duration.ofSeconds(10), Duration.ofSeconds(2),
                DataSize.ofMegabytes(64), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
}
