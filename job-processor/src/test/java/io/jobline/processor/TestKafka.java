package io.jobline.processor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jobline.schemas.Idempotency;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

/** Plain Kafka clients for the integration tests: what command-api writes, and what a downstream reader sees. */
public final class TestKafka {

    private TestKafka() {
    }

    public static KafkaProducer<String, JobCommand> commandProducer(String bootstrap) {
        return new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(),
                Topics.COMMANDS.valueSerde().serializer());
    }

    public static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
        return new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(), new ByteArraySerializer());
    }

    private static Properties producerConfig(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    public static JobCommand submitted(String jobId, String workflow, Map<String, String> parameters) {
        return JobCommand.newBuilder().setJobId(jobId).setCommand(JobSubmitted.newBuilder()
                .setJobId(jobId).setOwner("tester").setWorkflow(workflow).setParameters(parameters)
                .setSubmittedAt(Instant.now()).setRequestId(UUID.randomUUID().toString()).build()).build();
    }

    /** A submission as the command API writes it for a request with an {@code Idempotency-Key}. */
    public static JobCommand submitted(String jobId, String owner, String idempotencyKey, Instant submittedAt,
            Map<String, String> parameters) {
        return JobCommand.newBuilder().setJobId(jobId).setCommand(JobSubmitted.newBuilder()
                .setJobId(jobId).setOwner(owner).setWorkflow("mock").setParameters(parameters)
                .setSubmittedAt(submittedAt).setRequestId(UUID.randomUUID().toString())
                .setIdempotencyKey(idempotencyKey)
                .setRequestFingerprint(idempotencyKey == null ? null : Idempotency.fingerprint("mock", parameters))
                .build()).build();
    }

    public static JobCommand cancel(String jobId, String requestedBy) {
        return JobCommand.newBuilder().setJobId(jobId).setCommand(JobCancelRequested.newBuilder().setJobId(jobId)
                .setRequestedBy(requestedBy).setRequestedAt(Instant.now()).setRequestId(UUID.randomUUID().toString())
                .build()).build();
    }

    public static JobCommand retry(String jobId, int attempt, String workflow, Map<String, String> parameters) {
        return JobCommand.newBuilder().setJobId(jobId).setCommand(JobRetryRequested.newBuilder().setJobId(jobId)
                .setAttempt(attempt).setOwner("tester").setWorkflow(workflow).setParameters(parameters)
                .setRequestedBy("tester").setRequestedAt(Instant.now()).setRequestId(UUID.randomUUID().toString())
                .build()).build();
    }

    public static Log<JobLogChunk> logs(String bootstrap) {
        return new Log<>(bootstrap, Topics.LOGS.name(), Topics.LOGS.valueSerde().deserializer());
    }

    public static Log<JobCommand> commands(String bootstrap) {
        return new Log<>(bootstrap, Topics.COMMANDS.name(), Topics.COMMANDS.valueSerde().deserializer());
    }

    public static Log<JobEvent> events(String bootstrap) {
        return new Log<>(bootstrap, Topics.EVENTS.name(), Topics.EVENTS.valueSerde().deserializer());
    }

    public static Log<byte[]> deadLetters(String bootstrap) {
        return new Log<>(bootstrap, Topics.DLQ.name(), new ByteArrayDeserializer());
    }

    /** Reads a whole topic from its beginning, committed records only, as a downstream consumer would. */
    public static final class Log<V> implements AutoCloseable {

        private final KafkaConsumer<String, V> consumer;
        private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

        Log(String bootstrap, String topic, Deserializer<V> valueDeserializer) {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer);
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Polls until the records read so far satisfy the condition; fails after the timeout. */
        public List<ConsumerRecord<String, V>> until(Predicate<List<ConsumerRecord<String, V>>> condition,
                Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within " + timeout + "; read " + records.size()
                            + " records: " + records.stream().map(r -> r.key() + "=" + describe(r.value()))
                                    .collect(Collectors.joining(", ")));
                }
                poll();
            }
            return List.copyOf(records);
        }

        /** Reads everything written (and committed) before this call, and returns all records read so far. */
        public List<ConsumerRecord<String, V>> readToEnd() {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            return until(read -> ends.entrySet().stream()
                    .allMatch(end -> consumer.position(end.getKey()) >= end.getValue()), Duration.ofSeconds(30));
        }

        /** Polls for the given time and returns everything read. */
        public List<ConsumerRecord<String, V>> readFor(Duration duration) {
            long deadline = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < deadline) {
                poll();
            }
            return List.copyOf(records);
        }

        /** Skips records that cannot be decoded (the poison-record tests write some), as a downstream reader would. */
        private void poll() {
            try {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            } catch (RecordDeserializationException e) {
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    public static String describe(Object value) {
        return value instanceof JobEvent event ? event.getEvent().getClass().getSimpleName() : String.valueOf(value);
    }

    public static boolean isTerminal(JobEvent event) {
        return event.getEvent() instanceof JobCompleted || event.getEvent() instanceof JobFailed
                || event.getEvent() instanceof JobCancelled;
    }

    /** Progress and heartbeats: what a running attempt reports besides its lifecycle. */
    public static boolean isReport(JobEvent event) {
        return event.getEvent() instanceof JobProgress || event.getEvent() instanceof JobHeartbeat;
    }

    public static boolean isStarted(JobEvent event) {
        return event.getEvent() instanceof JobStarted;
    }

    /** Lifecycle events (no progress or heartbeats) of the given jobs, by job id, in log order. */
    public static Map<String, List<JobEvent>> byJob(List<ConsumerRecord<String, JobEvent>> records,
            java.util.Collection<String> jobIds) {
        return records.stream().filter(r -> jobIds.contains(r.key()) && !isReport(r.value()))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.mapping(ConsumerRecord::value,
                        Collectors.toList())));
    }

    /** True when every one of the jobs has a terminal event. */
    public static Predicate<List<ConsumerRecord<String, JobEvent>>> allTerminal(java.util.Collection<String> jobIds) {
        return records -> records.stream().filter(r -> jobIds.contains(r.key()) && isTerminal(r.value()))
                .map(ConsumerRecord::key).distinct().count() == jobIds.size();
    }
}
