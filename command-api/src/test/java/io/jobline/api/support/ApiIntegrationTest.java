package io.jobline.api.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.api.CommandApiApplication;
import io.jobline.schemas.Topics;

/**
 * The running command-api (real HTTP on a random port, its real {@code command-api.yml}) against a real in-process
 * KRaft broker and a {@link FakeProjection}. All subclasses have the same configuration, so Spring's test context
 * cache gives them one application, one broker and one fake projection.
 */
@SpringBootTest(classes = CommandApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.config.name=command-api",
                "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "jobline.topics.partitions=3",
                "jobline.api.workflows=mock,rnaseq",
                "jobline.api.owner=tester",
                "jobline.api.retry-after=7s"
        })
@EmbeddedKafka(count = 1)
@AutoConfigureWebTestClient
public abstract class ApiIntegrationTest {

    protected static final FakeProjection PROJECTION = FakeProjection.start();

    @DynamicPropertySource
    static void projection(DynamicPropertyRegistry registry) {
        registry.add("jobline.api.projection-url", PROJECTION::url);
    }

    @Autowired
    protected WebTestClient client;

    @Autowired
    protected EmbeddedKafkaBroker broker;

    protected KafkaConsumer<byte[], byte[]> rawConsumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The sum of the end offsets of all partitions of {@code jobline.commands}: grows by one per command. */
    protected long commandsEndOffset() {
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMANDS.name(), Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }
}
