package io.jobline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * Several processors, each in a JVM of its own. No job left behind: a processor killed with SIGKILL mid-job, and one
 * shut down with SIGTERM; their jobs end the attempt {@code WORKER_LOST} and run again on the processor that is left.
 * And a cancel reaches a running job whichever instance holds its partition after a rebalance. Every processor
 * here runs in a JVM of its own (closing a second WebFlux context in the test JVM would dispose the Reactor Netty
 * resources the in-JVM API shares).
 */
@EmbeddedKafka(count = 1)
class MultipleProcessorsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> PROCESSOR_SETTINGS = List.of(
            "--jobline.processor.heartbeat-interval=1s",
            "--jobline.processor.report-interval=200ms",
            "--jobline.processor.shutdown-grace=1s",
            "--jobline.supervisor.lost-after=3s",
            "--jobline.supervisor.check-interval=500ms",
            "--jobline.supervisor.first-backoff=500ms");

    private static String bootstrapServers;
    private static JoblineCluster cluster;
    private static JoblineClient client;
    private ExternalService survivor;

    @BeforeAll
    static void startJobline(EmbeddedKafkaBroker broker) throws Exception {
        bootstrapServers = broker.getBrokersAsString();
        cluster = JoblineCluster.startWithoutProcessor(bootstrapServers);
        client = cluster.client(TestCallers.ALICE);
    }

    @AfterAll
    static void stopJobline() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void stopSurvivor() throws InterruptedException {
        if (survivor != null) {
            survivor.close();
        }
    }

    @Test
    void aKilledWorkersJobIsNoticedAndRunsAgainElsewhere() throws Exception {
        String id;
        Instant killedAt;
        try (ExternalService doomed = ExternalService.startProcessor("doomed", processorArgs())) {
            id = submitMockJob(8000);
            awaitRunningOn(id, "doomed", 1);
            doomed.kill();
            killedAt = Instant.now();
        }
        survivor = ExternalService.startProcessor("survivor", processorArgs());

        JsonNode job = awaitCompletedOn(id, "survivor");
        JobFailed lost = lostAttempt(id);
        System.out.printf("killed worker: its job was reported lost %d ms after kill -9%n",
                Duration.between(killedAt, lost.getFinishedAt()).toMillis());
        assertThat(lost.getAttempt()).isEqualTo(1);
        assertThat(lost.getFailure().getReason()).contains("doomed");
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void aWorkerShutDownGracefullyHandsItsRunningJobOver() throws Exception {
        String id;
        try (ExternalService leaving = ExternalService.startProcessor("leaving", processorArgs())) {
            id = submitMockJob(8000);
            awaitRunningOn(id, "leaving", 1);
            survivor = ExternalService.startProcessor("survivor", processorArgs());
            leaving.terminate();
            assertThat(leaving.awaitExit(60)).as("exited; see %s", leaving.log()).isTrue();
        }

        JsonNode job = awaitCompletedOn(id, "survivor");
        JobFailed lost = lostAttempt(id);
        assertThat(lost.getAttempt()).isEqualTo(1);
        assertThat(lost.getFailure().getReason()).contains("leaving").contains("shut down");
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void aCancelReachesTheRunningJobAfterARebalanceSharedItsPartitionsOut() throws Exception {
        try (ExternalService first = ExternalService.startProcessor("first", processorArgs())) {
            String id = submitMockJob(600_000);
            awaitRunningOn(id, "first", 1);
            survivor = ExternalService.startProcessor("second", processorArgs());
            awaitAJobRunsOn("second");

            long begin = System.nanoTime();
            assertThat(client.post("/jobs/" + id + "/cancel").status()).isEqualTo(202);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> client.get("/jobs/" + id).body().get("status").asString().equals("CANCELLED"));
            System.out.printf("cancel after a rebalance: POST to CANCELLED %d ms%n",
                    (System.nanoTime() - begin) / 1_000_000);
            assertThat(client.get("/jobs/" + id).body().get("attempt").asInt()).isEqualTo(1);
        }
    }

    /** Submits short jobs until one runs on the given worker: it has joined the group and holds partitions. */
    private static void awaitAJobRunsOn(String worker) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String id = submitMockJob(10);
            await().atMost(TIMEOUT).until(() -> client.get("/jobs/" + id).body().get("status").asString()
                    .equals("COMPLETED"));
            return client.get("/jobs/" + id).body().get("worker").asString().equals(worker);
        });
    }

    private static List<String> processorArgs() {
        List<String> args = new ArrayList<>(PROCESSOR_SETTINGS);
        args.add("--spring.kafka.bootstrap-servers=" + bootstrapServers);
        return args;
    }

    private static String submitMockJob(int durationMillis) {
        var response = client.submit("mock", Map.of("mock.duration_ms", String.valueOf(durationMillis)));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
        return response.body().get("id").asString();
    }

    private static void awaitRunningOn(String id, String worker, int attempt) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode job = client.get("/jobs/" + id).body();
            return job.get("status").asString().equals("RUNNING") && job.get("worker").asString().equals(worker)
                    && job.get("attempt").asInt() == attempt;
        });
    }

    private static JsonNode awaitCompletedOn(String id, String worker) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode job = client.get("/jobs/" + id).body();
            return job.get("status").asString().equals("COMPLETED") && job.get("worker").asString().equals(worker);
        });
        return client.get("/jobs/" + id).body();
    }

    /** The job's WORKER_LOST failure, read from jobline.events as a downstream consumer would. */
    private static JobFailed lostAttempt(String id) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(config, Topics.EVENTS.keySerde().deserializer(),
                Topics.EVENTS.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(id) && record.value().getEvent() instanceof JobFailed failed
                            && failed.getFailure().getKind() == FailureKind.WORKER_LOST) {
                        return failed;
                    }
                }
            }
        }
        throw new AssertionError("no WORKER_LOST event for job " + id);
    }
}
