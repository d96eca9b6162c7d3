package io.jobline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topic;
import io.jobline.schemas.Topics;

/**
 * Retries of one submission with one Idempotency-Key, sent all at once through two command-api instances (the second
 * in a JVM of its own), make one job, which runs once.
 */
@EmbeddedKafka(count = 1)
class IdempotencyIT {

    private static final int RETRIES = 16;

    private static String bootstrapServers;
    private static JoblineCluster cluster;
    private static ExternalService secondApi;
    private static JoblineClient alice;
    private static JoblineClient aliceViaSecond;
    private static JoblineClient bob;

    @BeforeAll
    static void startJobline(EmbeddedKafkaBroker broker) throws Exception {
        bootstrapServers = broker.getBrokersAsString();
        cluster = JoblineCluster.start(bootstrapServers,
                "--jobline.mock.min-duration=20ms", "--jobline.mock.max-duration=50ms");
        int secondPort = JoblineCluster.freePort();
        secondApi = ExternalService.startApi("second-api",
                List.of(JoblineCluster.apiArgs(bootstrapServers, cluster.projectionPort(), secondPort)));
        String secondUrl = "http://localhost:" + secondPort;
        awaitReady(secondUrl);
        alice = cluster.client(TestCallers.ALICE);
        aliceViaSecond = new JoblineClient(secondUrl, TestCallers.ALICE.apiKey());
        bob = cluster.client(TestCallers.BOB);
    }

    @AfterAll
    static void stopJobline() throws Exception {
        if (secondApi != null) {
            secondApi.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentRetriesThroughTwoInstancesMakeOneJobThatRunsOnce() throws Exception {
        String key = "order-" + UUID.randomUUID();
        Map<String, String> parameters = Map.of("mock.duration_ms", "50", "run", key);

        List<JoblineClient.Response> answers = submitAtOnce(key, parameters);

        assertThat(answers).extracting(JoblineClient.Response::status).containsOnly(202);
        Set<String> jobIds = answers.stream().map(answer -> answer.body().get("id").asString())
                .collect(Collectors.toSet());
        assertThat(jobIds).hasSize(1);
        String job = jobIds.iterator().next();
        assertThat(answers).extracting(answer -> answer.raw().headers().firstValue("Location").orElse(""))
                .containsOnly("/jobs/" + job);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> alice.get("/jobs/" + job).body().get("status").asString().equals("COMPLETED"));

        List<String> submittedIds = submissionsWithKey(key);
        System.out.printf("%d concurrent retries through two instances wrote %d JobSubmitted record(s) for one job%n",
                RETRIES, submittedIds.size());
        assertThat(submittedIds).contains(job);
        assertThat(startsOf(Set.copyOf(submittedIds))).containsExactly(job);
        assertThat(alice.listAll("").stream().filter(item -> key.equals(item.path("parameters").path("run").asString("")))
                .toList()).hasSize(1);
    }

    @Test
    void aLaterRetryGetsTheSameJobFromEitherInstance() {
        String key = "late-" + UUID.randomUUID();
        Map<String, String> parameters = Map.of("mock.duration_ms", "20");
        var first = alice.submit("mock", parameters, Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(202);
        String job = first.body().get("id").asString();

        for (JoblineClient client : List.of(alice, aliceViaSecond)) {
            var again = client.submit("mock", parameters, Map.of("Idempotency-Key", key));
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.body().get("id").asString()).isEqualTo(job);
            assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        }
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefusedAndChangesNothing() {
        String key = "changed-" + UUID.randomUUID();
        var first = alice.submit("mock", Map.of("mock.duration_ms", "20"), Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(202);
        long jobsBefore = alice.get("/jobs?limit=1").body().get("total").asLong();

        for (JoblineClient client : List.of(alice, aliceViaSecond)) {
            var changed = client.submit("mock", Map.of("mock.duration_ms", "21"), Map.of("Idempotency-Key", key));
            assertThat(changed.status()).isEqualTo(422);
            assertThat(changed.raw().headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(changed.raw().body()).contains("Idempotency-Key");
        }
        assertThat(alice.get("/jobs?limit=1").body().get("total").asLong()).isEqualTo(jobsBefore);
    }

    @Test
    void keysBelongToTheirOwner() {
        String key = "shared-" + UUID.randomUUID();
        var alices = alice.submit("mock", Map.of("mock.duration_ms", "20"), Map.of("Idempotency-Key", key));
        var bobs = bob.submit("mock", Map.of("mock.duration_ms", "20"), Map.of("Idempotency-Key", key));

        assertThat(alices.status()).isEqualTo(202);
        assertThat(bobs.status()).isEqualTo(202);
        assertThat(bobs.body().get("id").asString()).isNotEqualTo(alices.body().get("id").asString());
    }

    private static List<JoblineClient.Response> submitAtOnce(String key, Map<String, String> parameters)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RETRIES);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<JoblineClient.Response>> calls = new ArrayList<>();
            for (int i = 0; i < RETRIES; i++) {
                JoblineClient client = i % 2 == 0 ? alice : aliceViaSecond;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return client.submit("mock", parameters, Map.of("Idempotency-Key", key));
                }, pool));
            }
            go.countDown();
            return calls.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The job ids of every JobSubmitted on jobline.commands that carries this key. */
    private static List<String> submissionsWithKey(String key) {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, JobCommand> record : readAll(Topics.COMMANDS)) {
            if (record.value() != null && record.value().getCommand() instanceof JobSubmitted submitted
                    && key.equals(submitted.getIdempotencyKey())) {
                ids.add(submitted.getJobId());
            }
        }
        return ids;
    }

    /** The jobs among these that have a JobStarted on jobline.events, once per start. */
    private static List<String> startsOf(Set<String> jobIds) {
        List<String> started = new ArrayList<>();
        for (ConsumerRecord<String, JobEvent> record : readAll(Topics.EVENTS)) {
            if (record.value() != null && record.value().getEvent() instanceof JobStarted start
                    && jobIds.contains(start.getJobId())) {
                started.add(start.getJobId());
            }
        }
        return started;
    }

    private static <V> List<ConsumerRecord<String, V>> readAll(Topic<V> topic) {
        return TopicContents.readAll(bootstrapServers, topic.name(), new StringDeserializer(),
                topic.valueSerde().deserializer());
    }

    private static void awaitReady(String url) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException notYet) {
                return false;
            }
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
