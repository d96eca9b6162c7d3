package io.jobline.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.api.CommandApiApplication;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.Topics;

/**
 * The running command-api (real HTTP on a random port, its real {@code command-api.yml}) against a real in-process
 * KRaft broker, a {@link FakeProjection} and a {@link TestIssuer} of JWTs. All subclasses have the same
 * configuration, so Spring's test context cache gives them one application, one broker and one fake projection.
 * {@link #client} calls as {@link TestCallers#TESTER} (API key); {@link #as} as anyone else.
 */
@SpringBootTest(classes = CommandApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.config.name=command-api",
                "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "jobline.topics.partitions=3",
                "jobline.api.workflows=mock,rnaseq",
                "jobline.api.retry-after=7s",
                "jobline.api.idempotency-confirm-timeout=2s",
                // generous: rate limiting has its own test application (RateLimitIT)
                "jobline.api.rate-limit.capacity=100000",
                "jobline.api.rate-limit.refill-per-second=100000"
        })
@EmbeddedKafka(count = 1)
@AutoConfigureWebTestClient
public abstract class ApiIntegrationTest {

    protected static final FakeProjection PROJECTION = FakeProjection.start();
    protected static final TestIssuer ISSUER = TestIssuer.start();

    /**
     * The workflow folder of the running API: {@code wordcount} and {@code fail-at} hold a Snakefile and are allowed;
     * {@code no-snakefile} and {@code Upper} are not workflows.
     */
    protected static final Path WORKFLOWS = workflowsDir();

    @DynamicPropertySource
    static void projection(DynamicPropertyRegistry registry) {
        registry.add("jobline.api.projection-url", PROJECTION::url);
        registry.add("jobline.api.workflows-dir", WORKFLOWS::toString);
        registry.add("jobline.security.jwt.issuer-uri", ISSUER::issuer);
        registry.add("jobline.security.jwt.audience", () -> TestIssuer.AUDIENCE);
        TestCallers.register(registry);
    }

    private static Path workflowsDir() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "workflows-");
            for (String name : List.of("wordcount", "fail-at", "Upper")) {
                Files.writeString(Files.createDirectories(dir.resolve(name)).resolve("Snakefile"), "rule all:\n");
            }
            Files.createDirectories(dir.resolve("no-snakefile"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends no credentials. */
    @Autowired
    protected WebTestClient anonymous;

    /** Calls as {@link TestCallers#TESTER}. */
    protected WebTestClient client;

    @BeforeEach
    void authenticateAsTester() {
        client = as(TestCallers.TESTER_KEY);
    }

    /** A client that sends {@code apiKey} in {@code X-API-Key}. */
    protected WebTestClient as(String apiKey) {
        return anonymous.mutate().defaultHeader("X-API-Key", apiKey).build();
    }

    /** A client that sends {@code token} as its bearer token. */
    protected WebTestClient bearer(String token) {
        return anonymous.mutate().defaultHeader("Authorization", "Bearer " + token).build();
    }

    @Autowired
    protected EmbeddedKafkaBroker broker;

    protected KafkaConsumer<byte[], byte[]> rawConsumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every record of jobline.commands so far, in offset order per partition, read with the topic's own serde. */
    protected List<ConsumerRecord<String, JobCommand>> commands() {
        List<ConsumerRecord<String, JobCommand>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMANDS.name(), Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
                    String key = Topics.COMMANDS.keySerde().deserializer().deserialize(raw.topic(), raw.key());
                    JobCommand value = Topics.COMMANDS.valueSerde().deserializer().deserialize(raw.topic(), raw.value());
                    records.add(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), key, value));
                }
            }
        }
        return records;
    }

    /** The commands keyed by {@code jobId} on jobline.commands, in the order they were written. */
    protected List<JobCommand> commandsOf(String jobId) {
        return commands().stream().filter(record -> jobId.equals(record.key())).map(ConsumerRecord::value).toList();
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
