package io.jobline.schemas.tools;

import static io.jobline.schemas.tools.JobRecords.JOB;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.jobline.schemas.Topic;
import io.jobline.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Runs the formatter the way users do: in Kafka's own console consumer, against a real broker. */
@EmbeddedKafka(count = 1, partitions = 1,
        topics = {"jobline.commands", "jobline.events", "jobline.job-status", "jobline.logs", "jobline.dlq"},
        brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
class JoblineJsonFormatterIT {

    private static final long AT = JobRecords.SUBMITTED.toEpochMilli();

    private static EmbeddedKafkaBroker broker;
    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void keepTheJvm() {
        Exit.setExitProcedure((code, message) -> {
            throw new AssertionError("the console consumer exited with " + code + ": " + message);
        });
        Exit.setShutdownHookAdder((name, hook) -> { });
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
        Exit.resetExitProcedure();
        Exit.resetShutdownHookAdder();
    }

    /** One job's records on every topic, with an aborted transaction on jobline.events. */
    @BeforeAll
    static void writeRecords() throws Exception {
        broker = EmbeddedKafkaCondition.getBroker();
        try (var producer = producer(null)) {
            producer.send(record(Topics.COMMANDS, JobRecords.submitted()));
            producer.send(record(Topics.JOB_STATUS, JobRecords.view()));
            producer.send(new ProducerRecord<>(Topics.LOGS.name(), null, AT, JOB,
                    Topics.LOGS.valueSerde().serializer().serialize(Topics.LOGS.name(), JobRecords.logs()),
                    new RecordHeaders().add("origin", "test".getBytes(StandardCharsets.UTF_8))));
            var dead = new ProducerRecord<>(Topics.DLQ.name(), null, AT, JOB, new byte[] {(byte) 0xC3, 0x01, 7},
                    new RecordHeaders()
                            .add("kafka_dlt-original-topic", "jobline.commands".getBytes(StandardCharsets.UTF_8))
                            .add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(41).array()));
            producer.send(dead).get();
        }
        try (var processor = producer("test-processor")) {
            processor.initTransactions();
            processor.beginTransaction();
            processor.send(record(Topics.EVENTS, JobRecords.started()));
            processor.commitTransaction();
            processor.beginTransaction();
            processor.send(record(Topics.EVENTS, JobRecords.failed()));
            processor.flush();
            processor.abortTransaction();
            processor.beginTransaction();
            processor.send(record(Topics.EVENTS, JobRecords.completed()));
            processor.commitTransaction();
        }
    }

    @Test
    void printsEveryTopicsRecordsAsJsonLines() throws Exception {
        List<String> lines = consoleConsumer("--bootstrap-server", broker.getBrokersAsString(),
                "--include", "jobline\\..*", "--from-beginning", "--isolation-level", "read_committed",
                "--formatter", JoblineJsonFormatter.class.getName(), "--property", "print.headers=true",
                "--max-messages", "6", "--timeout-ms", "60000");

        String key = "\"key\":\"" + JOB + "\",\"headers\":{},";
        assertThat(lines).containsExactlyInAnyOrder(
                "{\"topic\":\"jobline.commands\",\"partition\":0,\"offset\":0,\"timestamp\":\"2026-11-29T08:38:55.861Z\","
                        + key + JobRecords.SUBMITTED_JSON + "}",
                "{\"topic\":\"jobline.job-status\",\"partition\":0,\"offset\":0,\"timestamp\":\"2026-11-29T08:38:55.861Z\","
                        + key + JobRecords.VIEW_JSON + "}",
                "{\"topic\":\"jobline.logs\",\"partition\":0,\"offset\":0,\"timestamp\":\"2026-11-29T08:38:55.861Z\","
                        + "\"key\":\"" + JOB + "\",\"headers\":{\"origin\":\"test\"}," + JobRecords.LOGS_JSON + "}",
                "{\"topic\":\"jobline.dlq\",\"partition\":0,\"offset\":0,\"timestamp\":\"2026-11-29T08:38:55.861Z\","
                        + "\"key\":\"" + JOB + "\",\"headers\":{\"kafka_dlt-original-topic\":\"jobline.commands\","
                        + "\"kafka_dlt-original-offset\":41},\"type\":null,\"value\":null,\"valueBase64\":\"wwEH\"}",
                // offset 0: the first transaction's event, 1: its commit marker, 2 and 3: the aborted event and
                // its marker, 4: the last committed event
                "{\"topic\":\"jobline.events\",\"partition\":0,\"offset\":0,\"timestamp\":\"2026-11-29T08:38:55.861Z\","
                        + key + JobRecords.STARTED_JSON + "}",
                "{\"topic\":\"jobline.events\",\"partition\":0,\"offset\":4,\"timestamp\":\"2026-11-29T08:38:55.861Z\","
                        + key + JobRecords.COMPLETED_JSON + "}");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Processed a total of 6 messages");
    }

    @Test
    void leavesHeadersOutUnlessAskedFor() throws Exception {
        List<String> lines = consoleConsumer("--bootstrap-server", broker.getBrokersAsString(),
                "--topic", Topics.LOGS.name(), "--from-beginning",
                "--formatter", JoblineJsonFormatter.class.getName(), "--max-messages", "1", "--timeout-ms", "60000");
        assertThat(lines).first().asString()
                .startsWith("{\"topic\":\"jobline.logs\",\"partition\":0,\"offset\":0,")
                .doesNotContain("headers", "origin")
                .endsWith(JobRecords.LOGS_JSON + "}");
    }

    private List<String> consoleConsumer(String... args) throws Exception {
        out.reset();
        err.reset();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            ConsoleConsumer.main(args);
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static KafkaProducer<String, byte[]> producer(String transactionalId) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all"));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static <V> ProducerRecord<String, byte[]> record(Topic<V> topic, V value) {
        return new ProducerRecord<>(topic.name(), null, AT, JOB,
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }
}
