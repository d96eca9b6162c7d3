package io.jobline.api.query;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.TestCallers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The long-poll {@code GET /jobs/{id}?waitFor=&timeout=&version=} over real HTTP, against a fake projection that
 * parks each wait until a change satisfies it or its timeout passes.
 */
class LongPollIT extends ApiIntegrationTest {

    private static final String ID = "0193a5c2-8f00-7000-8000-00000000a001";
    private static final String OTHER = "0193a5c2-8f00-7000-8000-00000000a002";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Value("${local.server.port}")
    int port;

    @BeforeEach
    void resetProjection() {
        PROJECTION.reset();
    }

    @AfterEach
    void releaseWaits() {
        PROJECTION.reset();
    }

    @Test
    void answersAsSoonAsTheJobReachesTheStatusWaitedFor() {
        Map<String, Object> running = FakeProjection.view(ID, "RUNNING");
        PROJECTION.put(running);

        CompletableFuture<HttpResponse<String>> answer = get("/jobs/" + ID + "?waitFor=COMPLETED&timeout=50s");
        await().atMost(10, TimeUnit.SECONDS).until(() -> PROJECTION.waiting() == 1);
        assertThat(answer).isNotDone();
        assertThat(PROJECTION.requests()).extracting(URI::getPath, URI::getQuery)
                // first the check that the caller may see the job, then the long-poll
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/internal/jobs/" + ID, null),
                        org.assertj.core.groups.Tuple.tuple("/internal/jobs/" + ID, "waitFor=COMPLETED&timeout=PT50S"));

        PROJECTION.put(FakeProjection.changed(running, "CANCELLING"));
        assertThat(PROJECTION.waiting()).as("another status does not end the wait").isEqualTo(1);
        PROJECTION.put(FakeProjection.changed(FakeProjection.changed(running, "CANCELLING"), "COMPLETED"));

        HttpResponse<String> response = answer.join();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Jobline-Wait")).hasValue("satisfied");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(MediaType.parseMediaType(type).isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue());
        JsonNode view = JSON.readTree(response.body());
        assertThat(view.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(view.get("version").longValue()).isEqualTo(4);
        assertThat(view.size()).isEqualTo(18);
    }

    @Test
    void theTimeoutAnswersWithTheCurrentView() {
        PROJECTION.put(FakeProjection.view(ID, "RUNNING"));
        client.get().uri("/jobs/" + ID + "?waitFor=COMPLETED&timeout=300ms").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Jobline-Wait", "timeout")
                .expectBody().jsonPath("$.status").isEqualTo("RUNNING").jsonPath("$.id").isEqualTo(ID);
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsExactly(null, "waitFor=COMPLETED&timeout=PT0.3S");
    }

    @Test
    void aStatusAlreadyReachedAnswersAtOnce() {
        PROJECTION.put(FakeProjection.view(ID, "FAILED"));
        client.get().uri("/jobs/" + ID + "?waitFor=FAILED").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Jobline-Wait", "satisfied")
                .expectBody().jsonPath("$.status").isEqualTo("FAILED");
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsExactly(null, "waitFor=FAILED&timeout=PT30S");
    }

    @Test
    void changeWaitsForAHigherVersionThanTheOneGiven() {
        Map<String, Object> view = FakeProjection.view(ID, "RUNNING"); // version 2
        PROJECTION.put(view);
        client.get().uri("/jobs/" + ID + "?waitFor=change&version=1&timeout=PT20S").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Jobline-Wait", "satisfied")
                .expectBody().jsonPath("$.version").isEqualTo(2);

        CompletableFuture<HttpResponse<String>> seen = get("/jobs/" + ID + "?waitFor=change&version=2&timeout=20s");
        CompletableFuture<HttpResponse<String>> fromNow = get("/jobs/" + ID + "?waitFor=change&timeout=20s");
        await().atMost(10, TimeUnit.SECONDS).until(() -> PROJECTION.waiting() == 2);
        Map<String, Object> progressed = FakeProjection.changed(view, "RUNNING");
        progressed.put("progress", Map.of("done", 1, "total", 3));
        PROJECTION.put(progressed);

        for (HttpResponse<String> response : List.of(seen.join(), fromNow.join())) {
            assertThat(response.headers().firstValue("Jobline-Wait")).hasValue("satisfied");
            assertThat(JSON.readTree(response.body()).get("version").longValue()).isEqualTo(3);
            assertThat(JSON.readTree(response.body()).at("/progress/done").intValue()).isEqualTo(1);
        }
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsExactlyInAnyOrder(
                null, "waitFor=change&timeout=PT20S&version=1", null, "waitFor=change&timeout=PT20S&version=2",
                null, "waitFor=change&timeout=PT20S");
    }

    @Test
    void withoutWaitForTheGetIsAPlainRead() {
        PROJECTION.put(FakeProjection.view(ID, "RUNNING"));
        client.get().uri("/jobs/" + ID + "?waitFor=").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist("Jobline-Wait")
                .expectBody().jsonPath("$.status").isEqualTo("RUNNING");
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsOnlyNulls().hasSize(1);
    }

    @Test
    void anUnknownJobIsA404() {
        client.get().uri("/jobs/" + ID + "?waitFor=COMPLETED&timeout=5s").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/jobs/not-a-job?waitFor=COMPLETED").exchange()
                .expectStatus().isNotFound();
        assertThat(PROJECTION.requests()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"waitFor=DONE, waitFor", "waitFor=completed, waitFor", "waitFor=COMPLETED&timeout=61s, timeout",
            "waitFor=COMPLETED&timeout=0s, timeout", "waitFor=COMPLETED&timeout=soon, timeout",
            "waitFor=COMPLETED&timeout=30, timeout", "timeout=10s, timeout", "version=3, version",
            "waitFor=COMPLETED&version=3, version", "waitFor=change&version=-1, version"})
    void badLongPollParametersAreA400NamingThem(String query, String field) {
        PROJECTION.put(FakeProjection.view(ID, "RUNNING"));
        client.get().uri("/jobs/" + ID + "?" + query).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.errors[0].field").isEqualTo(field);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    /**
     * Far more waits than the server has event-loop threads and than a default client pool has connections: all
     * reach the projection and wait there together, other requests are answered meanwhile, and one change answers
     * them all.
     */
    @Test
    void manyLongPollsWaitTogetherWithoutHoldingAThread() {
        int waits = 60;
        Map<String, Object> pending = FakeProjection.view(ID, "PENDING");
        PROJECTION.put(pending);
        PROJECTION.put(FakeProjection.view(OTHER, "FAILED"));

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < waits; i++) {
            answers.add(get("/jobs/" + ID + "?waitFor=RUNNING&timeout=60s"));
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> PROJECTION.waiting() == waits);

        client.get().uri("/jobs/" + OTHER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("FAILED");
        client.get().uri("/jobs").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(2);
        assertThat(answers).noneMatch(CompletableFuture::isDone);

        PROJECTION.put(FakeProjection.changed(pending, "RUNNING"));
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.join();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Jobline-Wait")).hasValue("satisfied");
            assertThat(JSON.readTree(response.body()).get("status").stringValue()).isEqualTo("RUNNING");
        }
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", TestCallers.TESTER_KEY)
                .timeout(Duration.ofSeconds(90))
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
