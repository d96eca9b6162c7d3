package io.jobline.examples.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobOutput;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.Progress;
import io.jobline.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

@EmbeddedKafka(count = 1, partitions = 1, topics = "jobline.events",
        brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
class EventsConsumerIT {

    private static final String JOB = "019ace1f-5a3b-7c10-9d2e-123456789abc";
    private static final Instant T = Instant.parse("2026-11-29T08:38:56.438Z");
    private static final TopicPartition EVENTS_0 = new TopicPartition(Topics.EVENTS.name(), 0);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void broker() {
        broker = EmbeddedKafkaCondition.getBroker();
    }

    @Test
    void printsEachCommittedEventOnceAndCommitsItsOffsets() throws Exception {
        try (var processor = producer("example-processor")) {
            processor.initTransactions();
            send(processor, true, new JobStarted(JOB, 1, T, "vm-1"), new JobProgress(JOB, 1, new Progress(2, 4), T.plusSeconds(1)));
            send(processor, false, new JobFailed(JOB, 1, T, T.plusSeconds(2), new Failure(FailureKind.SYSTEM, "aborted", null, List.of())));
            send(processor, true, new JobCompleted(JOB, 1, T, T.plusSeconds(3), List.of(new JobOutput("results/counts.txt", 98L))));
        }

        var first = new Running("example-group");
        await().atMost(Duration.ofSeconds(60)).until(() -> first.lines().size() >= 3);
        first.stop();

        assertThat(first.lines()).containsExactly(
                "jobline.events-0@0 2026-11-29T08:38:56.438Z " + JOB + " attempt 1 JobStarted on vm-1",
                "jobline.events-0@1 2026-11-29T08:38:57.438Z " + JOB + " attempt 1 JobProgress 2/4 steps",
                // offset 2: the first transaction's commit marker, 3: the aborted JobFailed, 4: its abort marker
                "jobline.events-0@5 2026-11-29T08:38:59.438Z " + JOB + " attempt 1 JobCompleted 1 outputs");
        assertThat(committed("example-group")).isEqualTo(7); // past the last commit marker

        try (var processor = producer("example-processor")) {
            processor.initTransactions();
            send(processor, true, new JobCancelled(JOB, 2, null, T.plusSeconds(9), "alice", List.of()));
        }
        try (var garbage = producer(null)) {
            garbage.send(new ProducerRecord<>(Topics.EVENTS.name(), JOB, "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
        try (var processor = producer("example-processor")) {
            processor.initTransactions();
            send(processor, true, new JobStarted(JOB, 3, T.plusSeconds(20), "vm-2"));
        }

        var second = new Running("example-group");
        await().atMost(Duration.ofSeconds(60)).until(() -> second.lines().size() >= 2);
        second.stop();

        assertThat(second.lines()).as("the group goes on from its committed offset, past what it cannot decode")
                .containsExactly(
                        "jobline.events-0@7 2026-11-29T08:39:05.438Z " + JOB + " attempt 2 JobCancelled by alice",
                        "jobline.events-0@10 2026-11-29T08:39:16.438Z " + JOB + " attempt 3 JobStarted on vm-2");
        assertThat(committed("example-group")).isEqualTo(12);
    }

    /** An example consumer running on its own thread, printing into a buffer. */
    private static final class Running {

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final EventsConsumer consumer;
        final Thread thread;

        Running(String group) {
            consumer = new EventsConsumer(EventsConsumer.config(broker.getBrokersAsString(), group, new Properties()),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            thread = new Thread(consumer, "events-consumer-" + group);
            thread.start();
        }

        List<String> lines() {
            return out.toString(StandardCharsets.UTF_8).lines().toList();
        }

        void stop() throws InterruptedException {
            consumer.stop();
            thread.join();
        }
    }

    private static long committed(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.get(EVENTS_0).offset();
        }
    }

    private static void send(KafkaProducer<String, byte[]> processor, boolean commit, Object... events) {
        processor.beginTransaction();
        for (Object event : events) {
            processor.send(new ProducerRecord<>(Topics.EVENTS.name(), JOB,
                    Topics.EVENTS.valueSerde().serializer().serialize(Topics.EVENTS.name(), new JobEvent(JOB, event))));
        }
        if (commit) {
            processor.commitTransaction();
        } else {
            processor.flush();
            processor.abortTransaction();
        }
    }

    private static KafkaProducer<String, byte[]> producer(String transactionalId) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(), ProducerConfig.ACKS_CONFIG, "all"));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
