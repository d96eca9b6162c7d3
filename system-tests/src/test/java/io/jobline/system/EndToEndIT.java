package io.jobline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/** The whole system on one in-process KRaft broker, driven over real HTTP. */
@EmbeddedKafka(count = 1)
class EndToEndIT {

    private static final int JOBS = 200;
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED");

    private static JoblineCluster cluster;
    private static JoblineClient client;
    private static String bootstrapServers;

    @BeforeAll
    static void startJobline(EmbeddedKafkaBroker broker) throws Exception {
        bootstrapServers = broker.getBrokersAsString();
        cluster = JoblineCluster.start(bootstrapServers,
                "--jobline.mock.min-duration=50ms",
                "--jobline.mock.max-duration=400ms",
                "--jobline.processor.max-concurrent-jobs=16");
        client = cluster.client(TestCallers.ALICE);
    }

    @AfterAll
    static void stopJobline() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyJobReachesItsTerminalStatusWithOneStartAndOneEndEvent() {
        Map<String, String> expected = submitJobsWhereEveryFifthFails();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> expected.keySet().stream().allMatch(id -> TERMINAL.contains(statusOf(id))));

        expected.forEach((id, status) -> {
            JsonNode job = client.get("/jobs/" + id).body();
            assertThat(job.get("status").asString()).as(id).isEqualTo(status);
            assertThat(job.get("attempt").asInt()).isEqualTo(1);
            assertThat(job.get("finishedAt").isNull()).isFalse();
            if (status.equals("FAILED")) {
                assertThat(job.get("failure").get("kind").asString()).isEqualTo("PIPELINE");
            }
        });
        assertListingsAgree(expected);
        assertOneStartAndOneMatchingEndEventPerJob(expected);
    }

    @Test
    void aJobIsReadableRightAfterItsSubmissionWasAccepted() {
        int misses = 0;
        for (int i = 0; i < 500; i++) {
            var accepted = client.submit("mock", Map.of("mock.duration_ms", "10"));
            assertThat(accepted.status()).isEqualTo(202);
            String location = accepted.raw().headers().firstValue("Location").orElseThrow();
            var read = client.get(location);
            if (read.status() != 200) {
                misses++;
            }
        }
        assertThat(misses).as("GETs right after a 202 that did not find the job").isZero();
    }

    private Map<String, String> submitJobsWhereEveryFifthFails() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < JOBS; i++) {
            boolean fail = i % 5 == 0;
            var response = client.submit("mock", Map.of("mock.outcome", fail ? "fail" : "succeed", "n", "" + i));
            assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
            assertThat(response.body().get("status").asString()).isEqualTo("PENDING");
            expected.put(response.body().get("id").asString(), fail ? "FAILED" : "COMPLETED");
        }
        return expected;
    }

    private String statusOf(String id) {
        var response = client.get("/jobs/" + id);
        return response.status() == 200 ? response.body().get("status").asString() : "HTTP " + response.status();
    }

    private void assertListingsAgree(Map<String, String> expected) {
        for (String status : TERMINAL) {
            Set<String> listed = ids(client.listAll("&status=" + status));
            expected.forEach((id, want) -> assertThat(listed.contains(id)).as("%s listed as %s", id, status)
                    .isEqualTo(want.equals(status)));
        }
        List<String> newestFirst = client.listAll("").stream().map(job -> job.get("id").asString())
                .filter(expected::containsKey).toList();
        List<String> newestSubmittedFirst = new ArrayList<>(expected.keySet());
        Collections.reverse(newestSubmittedFirst);
        assertThat(newestFirst).containsExactlyElementsOf(newestSubmittedFirst);
    }

    private static Set<String> ids(List<JsonNode> jobs) {
        Set<String> ids = new HashSet<>();
        jobs.forEach(job -> ids.add(job.get("id").asString()));
        return ids;
    }

    private void assertOneStartAndOneMatchingEndEventPerJob(Map<String, String> expected) {
        Map<String, List<Object>> eventsByJob = readEvents(expected.keySet());
        expected.forEach((id, status) -> {
            List<Object> events = eventsByJob.getOrDefault(id, List.of());
            assertThat(events).as("events of %s", id).hasSize(2);
            assertThat(events.get(0)).isInstanceOf(JobStarted.class);
            assertThat(events.get(1)).isInstanceOf(status.equals("FAILED") ? JobFailed.class : JobCompleted.class);
        });
    }

    /** Reads the lifecycle events of jobline.events as a downstream consumer would: read_committed, from the beginning. */
    private Map<String, List<Object>> readEvents(Set<String> jobIds) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "end-to-end-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<Object>> byJob = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(config, Topics.EVENTS.keySerde().deserializer(),
                Topics.EVENTS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.EVENTS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Reads until every job has its end event, then a little longer to catch any duplicate.
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(500))) {
                    Object event = record.value().getEvent();
                    if (jobIds.contains(record.key()) && !(event instanceof JobProgress || event instanceof JobHeartbeat)) {
                        byJob.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(event);
                    }
                }
                if (quietUntil == Long.MAX_VALUE && byJob.size() == jobIds.size()
                        && byJob.values().stream().allMatch(events -> events.size() >= 2)) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return byJob;
    }
}
