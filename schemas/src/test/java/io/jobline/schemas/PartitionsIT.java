package io.jobline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** The partition that {@link Partitions#of} plans is the one a default producer really writes to. */
@EmbeddedKafka(count = 1, partitions = 6, topics = "placement")
class PartitionsIT {

    @Test
    void predictsTheDefaultProducersPartition() throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 60; i++) {
                String key = UUID.randomUUID().toString();
                int written = producer.send(new ProducerRecord<>("placement", key, "v")).get().partition();
                assertThat(Partitions.of(key, 6)).as(key).isEqualTo(written);
            }
        }
    }
}
