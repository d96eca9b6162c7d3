package io.jobline.processor;

import static io.jobline.processor.TestKafka.allTerminal;
import static io.jobline.processor.TestKafka.byJob;
import static io.jobline.processor.TestKafka.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import io.jobline.processor.pipeline.MockPipeline;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.Topics;
import io.jobline.schemas.deadletter.DeadLetters;

/**
 * Records that cannot be decoded or applied go to {@code jobline.dlq}, with where they came from, why, and who gave up
 * on them, and the processor carries on. One partition per topic, so that the records written after a poison one are
 * behind it wherever they are read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.config.name=job-processor",
        "jobline.processor.worker-id=poison-it",
        "jobline.topics.partitions=1",
        "jobline.supervisor.max-attempts=2",
        "jobline.supervisor.first-backoff=100ms",
        "jobline.supervisor.check-interval=100ms"})
@EmbeddedKafka(count = 1, brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
@DirtiesContext
class PoisonRecordsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String INTAKE = "jobline-job-processor";
    private static final String SUPERVISOR = "jobline-job-processor-supervisor";
    private static final Map<String, String> QUICK = Map.of(MockPipeline.DURATION_PARAMETER, "10");

    @Autowired
    EmbeddedKafkaBroker broker;

    private KafkaProducer<String, byte[]> raw;
    private TestKafka.Log<byte[]> deadLetters;

    @BeforeEach
    void connect() {
        raw = TestKafka.rawProducer(broker.getBrokersAsString());
        deadLetters = TestKafka.deadLetters(broker.getBrokersAsString());
    }

    @AfterEach
    void disconnect() {
        raw.close();
        deadLetters.close();
    }

    @Test
    void anUndecodableCommandIsDeadLetteredByTheIntakeAndTheSupervisorAndTheNextSubmissionRuns() throws Exception {
        byte[] poison = "this is not an Avro JobCommand".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("origin", "test".getBytes(StandardCharsets.UTF_8));
        RecordMetadata written = raw.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, "poison-1", poison,
                headers)).get();
        send("after-poison", submitted("after-poison", "mock", QUICK));

        List<ConsumerRecord<String, byte[]>> letters = deadLettersOf(written, Set.of(INTAKE, SUPERVISOR));
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.key()).isEqualTo("poison-1");
            assertThat(letter.value()).isEqualTo(poison);
            assertThat(header(letter, "origin")).isEqualTo("test");
            assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.COMMANDS.name());
            assertThat(header(letter, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).isEqualTo(Long.toString(written.offset()));
            assertThat(Instant.parse(header(letter, DeadLetters.FAILED_AT))).isBeforeOrEqualTo(Instant.now());
        });
        assertThat(header(letterBy(letters, INTAKE), DeadLetters.REASON)).contains("cannot decode")
                .doesNotContain("\tat ");
        assertThat(letterBy(letters, INTAKE).headers().toArray()).noneMatch(h -> h.key().startsWith("kafka_dlt"));
        assertThat(ranTo("after-poison")).containsExactly("JobStarted", "JobCompleted");
    }

    @Test
    void commandsThatDoNotNameTheirJobAreDeadLetteredAtOnceAsTheyWereWritten() throws Exception {
        byte[] misfiled = encode(submitted("misfiled", "mock", QUICK));
        RecordMetadata wronglyKeyed = raw.send(new ProducerRecord<>(Topics.COMMANDS.name(), "not-misfiled",
                misfiled)).get();
        RecordMetadata empty = raw.send(new ProducerRecord<>(Topics.COMMANDS.name(), "empty-1", null)).get();
        send("after-misfiled", submitted("after-misfiled", "mock", QUICK));

        ConsumerRecord<String, byte[]> keyLetter = letterBy(deadLettersOf(wronglyKeyed, Set.of(INTAKE)), INTAKE);
        assertThat(keyLetter.value()).isEqualTo(misfiled);
        assertThat(header(keyLetter, DeadLetters.REASON)).contains("UnusableRecordException")
                .contains("job misfiled is keyed not-misfiled");
        ConsumerRecord<String, byte[]> emptyLetter = letterBy(deadLettersOf(empty, Set.of(INTAKE)), INTAKE);
        assertThat(emptyLetter.value()).isNull();
        assertThat(header(emptyLetter, DeadLetters.REASON)).contains("no value");
        assertThat(ranTo("after-misfiled")).containsExactly("JobStarted", "JobCompleted");
        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString())) {
            assertThat(events.readToEnd()).noneMatch(record -> record.key().equals("misfiled"));
        }
    }

    @Test
    void anUndecodableEventIsDeadLetteredByTheSupervisorWhichGoesOnSupervising() throws Exception {
        byte[] poison = "this is not an Avro JobEvent".getBytes(StandardCharsets.UTF_8);
        RecordMetadata written = raw.send(new ProducerRecord<>(Topics.EVENTS.name(), "poison-2", poison)).get();
        // cannot start, so the supervisor retries it: it has to read the JobFailed behind the poison event
        send("unrunnable", submitted("unrunnable", "no-such-workflow", Map.of()));

        ConsumerRecord<String, byte[]> letter = letterBy(deadLettersOf(written, Set.of(SUPERVISOR)), SUPERVISOR);
        assertThat(letter.value()).isEqualTo(poison);
        assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.EVENTS.name());
        assertThat(header(letter, DeadLetters.REASON)).isNotBlank();
        try (TestKafka.Log<JobCommand> commands = TestKafka.commands(broker.getBrokersAsString())) {
            commands.until(records -> records.stream().anyMatch(record -> record.key().equals("unrunnable")
                    && record.value() != null && record.value().getCommand() instanceof JobRetryRequested retry
                    && retry.getAutomatic() && retry.getAttempt() == 2), TIMEOUT);
        }
    }

    /** The dead letters of the record written there, once each of the consumers has written its own. */
    private List<ConsumerRecord<String, byte[]>> deadLettersOf(RecordMetadata source, Set<String> consumers) {
        Predicate<ConsumerRecord<String, byte[]>> ofSource = letter ->
                source.topic().equals(header(letter, DeadLetters.SOURCE_TOPIC))
                        && Long.toString(source.offset()).equals(header(letter, DeadLetters.SOURCE_OFFSET));
        return deadLetters.until(letters -> letters.stream().filter(ofSource)
                .map(letter -> header(letter, DeadLetters.CONSUMER)).toList().containsAll(consumers), TIMEOUT)
                .stream().filter(ofSource).toList();
    }

    private static ConsumerRecord<String, byte[]> letterBy(List<ConsumerRecord<String, byte[]>> letters,
            String consumer) {
        return letters.stream().filter(letter -> consumer.equals(header(letter, DeadLetters.CONSUMER))).findFirst()
                .orElseThrow();
    }

    /** The lifecycle of a job, once it has ended. */
    private List<String> ranTo(String jobId) {
        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString())) {
            return byJob(events.until(allTerminal(Set.of(jobId)), TIMEOUT), Set.of(jobId)).get(jobId).stream()
                    .map(TestKafka::describe).toList();
        }
    }

    private void send(String jobId, JobCommand command) throws Exception {
        raw.send(new ProducerRecord<>(Topics.COMMANDS.name(), jobId, encode(command))).get();
    }

    private static byte[] encode(JobCommand command) {
        return Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), command);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetters.header(record.headers(), name);
    }
}
