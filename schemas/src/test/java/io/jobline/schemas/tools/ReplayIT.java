package io.jobline.schemas.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.Progress;
import io.jobline.schemas.Topic;
import io.jobline.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two jobs, A on partition 0 and B on partition 1 of both topics, one record a second from {@link #BASE}: commands
 * written plainly, events in transactions (one aborted), as the services write them.
 */
@EmbeddedKafka(count = 1, partitions = 2, topics = {"jobline.commands", "jobline.events"},
        brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
class ReplayIT {

    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
    private static final String A = "0190a000-0000-7000-8000-00000000000a";
    private static final String B = "0190a000-0000-7000-8000-00000000000b";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static EmbeddedKafkaBroker broker;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void writeTwoJobs() throws Exception {
        broker = EmbeddedKafkaCondition.getBroker();
        try (var api = producer(null); var processor = producer("replay-it-processor")) {
            processor.initTransactions();
            api.send(record(Topics.COMMANDS, 0, 0, A, new JobCommand(A, new JobSubmitted(A, "alice", "mock", Map.of(), at(0), "r1", null, null))));
            api.send(record(Topics.COMMANDS, 1, 1, B, new JobCommand(B, new JobSubmitted(B, "bob", "steps", Map.of(), at(1), "r2", null, null)))).get();
            event(processor, 0, 2, A, new JobStarted(A, 1, at(2), "vm-1"), true);
            event(processor, 1, 3, B, new JobStarted(B, 1, at(3), "vm-1"), true);
            api.send(record(Topics.COMMANDS, 0, 4, A, new JobCommand(A, new JobCancelRequested(A, "alice", at(4), "r3")))).get();
            event(processor, 0, 5, A, new JobCancelled(A, 1, at(2), at(5), "alice", List.of()), true);
            event(processor, 1, 6, B, new JobProgress(B, 1, new Progress(1, 2), at(6)), true);
            event(processor, 1, 7, B, new JobFailed(B, 1, at(3), at(7), new Failure(FailureKind.SYSTEM, "aborted", null, List.of())), false);
            event(processor, 1, 8, B, new JobCompleted(B, 1, at(3), at(8), List.of()), true);
        }
    }

    @Test
    void printsBothTopicsFromTheGivenTimeInTimestampOrder() throws Exception {
        int code = Replay.run(new String[] {"--bootstrap-server", broker.getBrokersAsString(), "--from", at(4).toString()},
                stream(out), stream(err));

        assertThat(code).isZero();
        assertThat(summary(lines())).containsExactly(
                "+4s jobline.commands/0@1 " + A + " JobCancelRequested",
                "+5s jobline.events/0@2 " + A + " JobCancelled",
                "+6s jobline.events/1@2 " + B + " JobProgress",
                "+8s jobline.events/1@6 " + B + " JobCompleted");
        assertThat(lines().get(0)).isEqualTo("{\"topic\":\"jobline.commands\",\"partition\":0,\"offset\":1,"
                + "\"timestamp\":\"" + AvroJson.timestamp(at(4)) + "\",\"key\":\"" + A + "\",\"type\":\"JobCancelRequested\","
                + "\"value\":{\"jobId\":\"" + A + "\",\"requestedBy\":\"alice\",\"requestedAt\":\"" + AvroJson.timestamp(at(4)) + "\","
                + "\"requestId\":\"r3\"}}");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("replay: 4 records of jobline.commands, jobline.events from " + at(4));
    }

    @Test
    void stopsBeforeTheGivenEndAndReadsOnlyTheTopicsAskedFor() throws Exception {
        int code = Replay.run(new String[] {"--bootstrap-server=" + broker.getBrokersAsString(),
                "--from", BASE.plusMillis(1500).toString(), "--to", at(5).toString(), "--topics", "jobline.events"},
                stream(out), stream(err));

        assertThat(code).isZero();
        assertThat(summary(lines())).containsExactly(
                "+2s jobline.events/0@0 " + A + " JobStarted",
                "+3s jobline.events/1@0 " + B + " JobStarted");
    }

    @Test
    void takesClientSettingsFromACommandConfigFileAndPrintsHeadersOnRequest(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("client.properties"), "client.id=audit-42\nsecurity.protocol=PLAINTEXT\n");

        int code = Replay.run(new String[] {"--bootstrap-server", broker.getBrokersAsString(), "--from", at(8).toString(),
                "--command-config", config.toString(), "--headers"}, stream(out), stream(err));

        assertThat(code).isZero();
        assertThat(lines()).singleElement().asString()
                .contains("\"offset\":6,", "\"headers\":{}", "\"type\":\"JobCompleted\"");
    }

    @Test
    void printsNothingFromAfterTheLastRecord() {
        int code = Replay.run(new String[] {"--bootstrap-server", broker.getBrokersAsString(), "--from", at(60).toString()},
                stream(out), stream(err));

        assertThat(code).isZero();
        assertThat(lines()).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("replay: 0 records");
    }

    @Test
    void refusesBadArgumentsWithExitCode2() {
        assertThat(Replay.run(new String[] {"--bootstrap-server", broker.getBrokersAsString(), "--from", "yesterday"},
                stream(out), stream(err))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("replay: --from: 'yesterday' is not an ISO-8601 instant")
                .contains("usage: replay --bootstrap-server HOST:PORT --from TIME");
        assertThat(out.size()).isZero();

        err.reset();
        assertThat(Replay.run(new String[] {"--from", at(0).toString()}, stream(out), stream(err))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("replay: --bootstrap-server is required");

        err.reset();
        assertThat(Replay.run(new String[] {"--bootstrap-server", "x:1", "--from", at(5).toString(), "--to", at(5).toString()},
                stream(out), stream(err))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("replay: --to (" + at(5) + ") must be after --from");

        err.reset();
        assertThat(Replay.run(new String[] {"--bootstrap-server", "x:1", "--from", "2026-11-29", "--command-config", "/no/such/file"},
                stream(out), stream(err))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("replay: --command-config: cannot read '/no/such/file'");

        err.reset();
        assertThat(Replay.run(new String[] {"--bootstrap-server", "x:1", "--from", "2026-11-29", "--follow"},
                stream(out), stream(err))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("replay: unknown argument '--follow'");
    }

    @Test
    void saysWhichTopicIsMissingWithExitCode1() {
        int code = Replay.run(new String[] {"--bootstrap-server", broker.getBrokersAsString(), "--from", at(0).toString(),
                "--topics", "jobline.events,jobline.nope"}, stream(out), stream(err));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("replay: topic jobline.nope does not exist on " + broker.getBrokersAsString() + "\n");
    }

    @Test
    void endsAtTheLastStableOffsetWhileATransactionIsStillOpen() throws Exception {
        try (var processor = producer("replay-it-open-transaction")) {
            processor.initTransactions();
            processor.beginTransaction();
            processor.send(record(Topics.EVENTS, 0, 9, A, new JobEvent(A, new JobStarted(A, 2, at(9), "vm-2")))).get();

            int code = Replay.run(new String[] {"--bootstrap-server", broker.getBrokersAsString(), "--from", at(5).toString(),
                    "--topics", "jobline.events"}, stream(out), stream(err));

            assertThat(code).isZero();
            assertThat(summary(lines())).containsExactly(
                    "+5s jobline.events/0@2 " + A + " JobCancelled",
                    "+6s jobline.events/1@2 " + B + " JobProgress",
                    "+8s jobline.events/1@6 " + B + " JobCompleted");
            processor.abortTransaction();
        }
    }

    @Test
    void saysSoWhenKafkaDoesNotAnswer(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("client.properties"), "default.api.timeout.ms=1000\n");

        int code = Replay.run(new String[] {"--bootstrap-server", "127.0.0.1:1", "--from", at(0).toString(),
                "--command-config", config.toString()}, stream(out), stream(err));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("replay: no answer from Kafka at 127.0.0.1:1 within 1 s (default.api.timeout.ms)\n");
    }

    /** "+{seconds after BASE}s topic/partition@offset key type" of each line. */
    private static List<String> summary(List<String> lines) throws Exception {
        var summary = new java.util.ArrayList<String>();
        for (String line : lines) {
            JsonNode json = MAPPER.readTree(line);
            long seconds = (Instant.parse(json.get("timestamp").asText()).toEpochMilli() - BASE.toEpochMilli()) / 1000;
            summary.add("+" + seconds + "s " + json.get("topic").asText() + "/" + json.get("partition").asInt() + "@"
                    + json.get("offset").asLong() + " " + json.get("key").asText() + " " + json.get("type").asText());
        }
        return summary;
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static Instant at(int second) {
        return BASE.plusSeconds(second);
    }

    private static void event(KafkaProducer<String, byte[]> processor, int partition, int second, String job,
            Object event, boolean commit) {
        processor.beginTransaction();
        processor.send(record(Topics.EVENTS, partition, second, job, new JobEvent(job, event)));
        if (commit) {
            processor.commitTransaction();
        } else {
            processor.flush();
            processor.abortTransaction();
        }
    }

    private static KafkaProducer<String, byte[]> producer(String transactionalId) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all"));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static <V> ProducerRecord<String, byte[]> record(Topic<V> topic, int partition, int second, String key, V value) {
        return new ProducerRecord<>(topic.name(), partition, at(second).toEpochMilli(), key,
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
