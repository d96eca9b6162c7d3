package io.jobline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import io.jobline.schemas.Topics;
import io.jobline.schemas.deadletter.DeadLetters;

/**
 * A record nobody can decode on each of Jobline's topics, with all three services running: every consumer of the
 * topic writes its dead letter, and a job submitted afterwards still runs, shows up and streams.
 */
@EmbeddedKafka(count = 1)
class PoisonRecordsIT {

    private static final String POISON_KEY = "019ad000-0000-7000-8000-00000000dead";

    private static String bootstrapServers;
    private static JoblineCluster cluster;
    private static JoblineClient alice;

    @BeforeAll
    static void startJobline(EmbeddedKafkaBroker broker) throws Exception {
        bootstrapServers = broker.getBrokersAsString();
        cluster = JoblineCluster.start(bootstrapServers,
                "--jobline.mock.min-duration=20ms", "--jobline.mock.max-duration=50ms");
        alice = cluster.client(TestCallers.ALICE);
    }

    @AfterAll
    static void stopJobline() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyConsumerDeadLettersThePoisonAndCarriesOn() throws Exception {
        try (LiveEvents stream = alice.openEvents("/jobs/stream")) {
            assertThat(stream.status()).isEqualTo(200);
            writePoison(Topics.COMMANDS.name(), Topics.EVENTS.name(), Topics.LOGS.name(), Topics.JOB_STATUS.name());

            String job = alice.submit("mock", Map.of("mock.duration_ms", "20")).body().get("id").asString();

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var view = alice.get("/jobs/" + job);
                return view.status() == 200 && view.body().get("status").asString().equals("COMPLETED");
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.jobIds().contains(job));
        }
        Set<String> expected = Set.of(
                "jobline.commands by jobline-job-processor",
                "jobline.commands by jobline-job-processor-supervisor",
                "jobline.commands by jobline-status-projection",
                "jobline.events by jobline-job-processor-supervisor",
                "jobline.events by jobline-status-projection",
                "jobline.logs by jobline-status-projection",
                "jobline.job-status by command-api feed");
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters().keySet().containsAll(expected));
        deadLetters().forEach((source, letter) -> {
            assertThat(letter.key()).asString(StandardCharsets.UTF_8).isEqualTo(POISON_KEY);
            assertThat(header(letter, DeadLetters.SOURCE_PARTITION)).matches("\\d+");
            assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).matches("\\d+");
            assertThat(header(letter, DeadLetters.REASON)).isNotBlank();
        });
    }

    private static void writePoison(String... topics) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : topics) {
                producer.send(new ProducerRecord<>(topic, POISON_KEY.getBytes(StandardCharsets.UTF_8),
                        "{\"this is\":\"not avro\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /** The dead letters so far, by "source topic by consumer". */
    private static Map<String, ConsumerRecord<byte[], byte[]>> deadLetters() {
        return TopicContents.readAll(bootstrapServers, Topics.DLQ.name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).stream().collect(Collectors.toMap(
                        letter -> header(letter, DeadLetters.SOURCE_TOPIC) + " by "
                                + header(letter, DeadLetters.CONSUMER),
                        letter -> letter, (first, second) -> first));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetters.header(record.headers(), name);
    }
}
