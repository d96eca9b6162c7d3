package io.jobline.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.tools.StreamsResetter;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.util.FileSystemUtils;

import io.jobline.projection.security.InternalKey;
import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
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
import io.jobline.schemas.Progress;
import io.jobline.schemas.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A projection rebuilt from scratch equals the original: fold the commands, events and log lines of N jobs
 * (through every kind of change), read every view, history, log and listing through the API, stop the
 * projection, reset it with Kafka's streams reset tool ({@code StreamsResetter}, as the README says), delete
 * its state directory, start it again and compare everything, {@code version} and {@code updatedAt}
 * included. The projection runs in a JVM of its own, stopped with SIGTERM as an operator would.
 *
 * <p>The records are written in phases, each folded before the next is written, so that the original fold
 * applied them in timestamp order, which is the order a rebuild applies them in (see the README).
 */
@EmbeddedKafka(count = 1, partitions = 3)
class RebuildIT {

    private static final int JOBS = Integer.getInteger("jobline.rebuild.jobs", 600);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> ids = new ArrayList<>();
    private final Map<String, String> status = new HashMap<>();
    private final AtomicLong records = new AtomicLong();
    private KafkaProducer<String, JobCommand> commands;
    private KafkaProducer<String, JobEvent> events;
    private KafkaProducer<String, JobLogChunk> logs;

    @Test
    void aProjectionRebuiltFromScratchEqualsTheOriginal() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        String bootstrap = broker.getBrokersAsString();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        commands = new KafkaProducer<>(config, Topics.COMMANDS.keySerde().serializer(), Topics.COMMANDS.valueSerde().serializer());
        events = new KafkaProducer<>(config, Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
        logs = new KafkaProducer<>(config, Topics.LOGS.keySerde().serializer(), Topics.LOGS.valueSerde().serializer());
        try (ExternalProjection projection = ExternalProjection.start("projection-rebuild", bootstrap,
                List.of("--jobline.topics.partitions=3"))) {
            awaitReady(projection);
            foldJobs(projection);
            Map<String, JsonNode> before = snapshot(projection);

            projection.stop();
            int reset = new StreamsResetter().execute(new String[] {
                    "--bootstrap-server", bootstrap,
                    "--application-id", "jobline-status-projection",
                    "--input-topics", "jobline.commands,jobline.events,jobline.logs",
                    "--force"});
            assertThat(reset).as("exit code of the streams reset tool").isZero();
            FileSystemUtils.deleteRecursively(projection.stateDir());

            long started = System.nanoTime();
            projection.launch();
            awaitReady(projection);
            long ready = System.nanoTime();
            // rebuilt once the projection has committed the end of every input partition
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                await("the projection is back at the end of its input").atMost(Duration.ofSeconds(600))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> caughtUp(admin));
            }
            long rebuilt = System.nanoTime();
            System.out.printf("rebuilt %d jobs from %d records in %.1f s (%.1f s from start to ready, %.1f s from ready to"
                    + " the end of the input)%n", JOBS, records.get(), (rebuilt - started) / 1e9, (ready - started) / 1e9,
                    (rebuilt - ready) / 1e9);

            Map<String, JsonNode> after = snapshot(projection);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            for (String key : before.keySet()) {
                assertThat(after.get(key)).as(key).isEqualTo(before.get(key));
            }
        } finally {
            commands.close();
            events.close();
            logs.close();
        }
    }

    /** Whether the projection's group has committed the (read_committed) end of every input partition. */
    private static boolean caughtUp(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("jobline-status-projection")
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> inputs = new HashMap<>();
        for (String topic : List.of(Topics.COMMANDS.name(), Topics.EVENTS.name(), Topics.LOGS.name())) {
            for (int partition = 0; partition < 3; partition++) {
                inputs.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        }
        var ends = admin.listOffsets(inputs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                || committed.containsKey(end.getKey()) && committed.get(end.getKey()).offset() >= end.getValue().offset());
    }

    /** Every view, every history, every job's log and a few listings, by what was read. */
    private Map<String, JsonNode> snapshot(ExternalProjection projection) {
        Map<String, JsonNode> snapshot = new LinkedHashMap<>();
        for (String id : ids) {
            snapshot.put("view " + id, get(projection, "/internal/jobs/" + id));
            snapshot.put("history " + id, get(projection, "/internal/jobs/" + id + "/history?limit=10000"));
            snapshot.put("logs " + id, get(projection, "/internal/jobs/" + id + "/logs"));
        }
        for (String query : List.of("?limit=500", "?limit=500&status=PENDING", "?limit=500&status=FAILED",
                "?limit=500&workflow=steps", "?limit=100&workflow=mock&status=COMPLETED")) {
            snapshot.put("listing " + query, get(projection, "/internal/jobs" + query));
        }
        assertThat(snapshot.get("view " + ids.get(0)).get("version").asLong()).isPositive();
        return snapshot;
    }

    /** The jobs' lives in phases, each folded before the next is written. */
    private void foldJobs(ExternalProjection projection) throws Exception {
        Instant t0 = Instant.parse("2026-11-29T08:00:00Z");
        long base = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
        for (int i = 0; i < JOBS; i++) {
            String id = uuid7(base + i * 1000L, i);
            ids.add(id);
            command(id, JobSubmitted.newBuilder().setJobId(id).setOwner("user-" + i % 7)
                    .setWorkflow(i % 3 == 0 ? "mock" : "steps").setParameters(Map.of("n", Integer.toString(i)))
                    .setSubmittedAt(Instant.ofEpochMilli(base + i * 1000L)).setRequestId("r" + i).build());
            status.put(id, "PENDING");
        }
        awaitTotals(projection);

        // 80% start, report progress, a heartbeat and some log lines
        for (int i = 0; i < JOBS; i++) {
            if (i % 5 != 4) {
                String id = ids.get(i);
                event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(t0).setWorker("vm-" + i % 4).build());
                event(id, JobProgress.newBuilder().setJobId(id).setAttempt(1).setProgress(new Progress(1, 3)).setAt(t0.plusSeconds(1)).build());
                event(id, JobHeartbeat.newBuilder().setJobId(id).setAttempt(1).setWorker("vm-" + i % 4).setAt(t0.plusSeconds(2)).build());
                log(id, 1, 1, List.of("step 1 of " + id, "done"));
                status.put(id, "RUNNING");
            }
        }
        awaitTotals(projection);
        awaitVersions(projection, 4, id -> status.get(id).equals("RUNNING"));

        // of those, half complete, a quarter fail
        for (int i = 0; i < JOBS; i++) {
            String id = ids.get(i);
            if (!status.get(id).equals("RUNNING")) {
                continue;
            }
            if (i % 4 < 2) {
                event(id, JobCompleted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(t0).setFinishedAt(t0.plusSeconds(3))
                        .setOutputs(List.of(io.jobline.schemas.JobOutput.newBuilder().setPath("results/" + i + ".txt")
                                .setSizeBytes(i).build())).build());
                status.put(id, "COMPLETED");
            } else if (i % 4 == 2) {
                event(id, JobFailed.newBuilder().setJobId(id).setAttempt(1).setStartedAt(t0).setFinishedAt(t0.plusSeconds(3))
                        .setFailure(Failure.newBuilder().setKind(FailureKind.WORKER_LOST).setReason("lost").setExitCode(null)
                                .setLogTail(List.of("done")).build()).build());
                status.put(id, "FAILED");
            }
        }
        awaitTotals(projection);

        // every failed job is retried automatically; a pending or running job in eight is asked to stop
        for (int i = 0; i < JOBS; i++) {
            String id = ids.get(i);
            if (status.get(id).equals("FAILED")) {
                command(id, JobRetryRequested.newBuilder().setJobId(id).setAttempt(2).setOwner("user-" + i % 7)
                        .setWorkflow(i % 3 == 0 ? "mock" : "steps").setParameters(Map.of("n", Integer.toString(i)))
                        .setRequestedBy("jobline").setRequestedAt(t0.plusSeconds(4)).setRequestId("retry-" + i)
                        .setAutomatic(true).setReason("WORKER_LOST").build());
                status.put(id, "PENDING");
            } else if ((status.get(id).equals("PENDING") || status.get(id).equals("RUNNING")) && i % 8 == 3) {
                command(id, JobCancelRequested.newBuilder().setJobId(id).setRequestedBy("bob").setRequestedAt(t0.plusSeconds(5))
                        .setRequestId("cancel-" + i).build());
                status.put(id, "CANCELLING");
            }
        }
        awaitTotals(projection);

        // half the cancels take effect
        for (int i = 0; i < JOBS; i++) {
            String id = ids.get(i);
            if (status.get(id).equals("CANCELLING") && i % 16 == 3) {
                event(id, JobCancelled.newBuilder().setJobId(id).setAttempt(1).setCancelledAt(t0.plusSeconds(6))
                        .setRequestedBy("bob").setLogTail(List.of("stopped")).build());
                status.put(id, "CANCELLED");
            }
        }
        awaitTotals(projection);
    }

    private void awaitTotals(ExternalProjection projection) {
        commands.flush();
        events.flush();
        logs.flush();
        await("the projection folds the phase").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (String name : List.of("PENDING", "RUNNING", "CANCELLING", "COMPLETED", "FAILED", "CANCELLED")) {
                        long expected = status.values().stream().filter(name::equals).count();
                        if (get(projection, "/internal/jobs?limit=1&status=" + name).get("total").asLong() != expected) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** Long-polls each job until its view has reached {@code version}. */
    private void awaitVersions(ExternalProjection projection, long version, java.util.function.Predicate<String> which) {
        for (String id : ids) {
            if (which.test(id)) {
                await(id + " reaches version " + version).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                        .until(() -> get(projection, "/internal/jobs/" + id + "?waitFor=change&timeout=10s&version="
                                + (version - 1)).get("version").asLong() >= version);
            }
        }
    }

    /** A GET that must answer 200; a 503 is retried after a moment, as a client would. */
    private JsonNode get(ExternalProjection projection, String path) {
        HttpResponse<String> response = await(path).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(projection.baseUrl() + path))
                                .header(InternalKey.HEADER, InternalKeys.KEY)
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()),
                        answer -> answer.statusCode() != 503);
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void awaitReady(ExternalProjection projection) {
        await(projection.baseUrl() + " ready").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(projection.baseUrl() + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    private void command(String id, Object payload) {
        records.incrementAndGet();
        commands.send(new ProducerRecord<>(Topics.COMMANDS.name(), id, JobCommand.newBuilder().setJobId(id).setCommand(payload).build()));
    }

    private void event(String id, Object payload) {
        records.incrementAndGet();
        events.send(new ProducerRecord<>(Topics.EVENTS.name(), id, JobEvent.newBuilder().setJobId(id).setEvent(payload).build()));
    }

    private void log(String id, int attempt, long firstLine, List<String> lines) {
        records.incrementAndGet();
        logs.send(new ProducerRecord<>(Topics.LOGS.name(), id, JobLogChunk.newBuilder().setJobId(id).setAttempt(attempt)
                .setFirstLine(firstLine).setLines(lines).setAt(Instant.now()).build()));
    }

    private static String uuid7(long millis, int sequence) {
        long msb = (millis << 16) | 0x7000L | (sequence & 0xFFF);
        long lsb = 0x8000000000000000L | (UUID.randomUUID().getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL);
        return new UUID(msb, lsb).toString();
    }
}
