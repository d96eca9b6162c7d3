package io.jobline.projection.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.projection.ProjectionProperties;
import io.jobline.projection.listing.ListingQuery;
import io.jobline.projection.listing.TimeRange;
import io.jobline.projection.watch.WaitFor;
import io.jobline.schemas.JobStatus;
import reactor.core.publisher.Mono;

class JobQueryControllerTest {

    private static final String ID = "0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";

    private final JobQueryService queries = mock(JobQueryService.class);
    private final ProjectionProperties properties = new ProjectionProperties("./data", "localhost", 0,
            Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(3), Duration.ofMillis(2500),
            Duration.ofSeconds(2), 50, 500, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofMillis(50),
            Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60), 1000, Duration.ofMinutes(10));
    private final IdempotencyQueryService keys = mock(IdempotencyQueryService.class);
    private final WebTestClient http = WebTestClient.bindToController(new JobQueryController(queries, properties),
            new IdempotencyController(keys)).controllerAdvice(new QueryProblems(properties)).build();

    @Test
    void aViewIsJsonWithNullsForAbsentValues() {
        JobViewJson view = new JobViewJson(ID, "alice", "mock", Map.of("k", "v"), "RUNNING", 1,
                Instant.parse("2026-11-29T08:00:00.123Z"), Instant.parse("2026-11-29T08:00:00.456Z"), null, null,
                "processor-host-1234", Instant.parse("2026-11-29T08:00:00.456Z"), null, List.of(), null, null, null, 2);
        when(queries.get(ID, false, false)).thenReturn(Mono.just(Optional.of(view)));

        byte[] body = http.get().uri("/internal/jobs/{id}", ID).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBodyContent();

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"" + ID + "\",\"owner\":\"alice\","
                + "\"workflow\":\"mock\",\"parameters\":{\"k\":\"v\"},\"status\":\"RUNNING\",\"attempt\":1,"
                + "\"submittedAt\":\"2026-11-29T08:00:00.123Z\",\"startedAt\":\"2026-11-29T08:00:00.456Z\","
                + "\"finishedAt\":null,\"failure\":null,\"worker\":\"processor-host-1234\","
                + "\"updatedAt\":\"2026-11-29T08:00:00.456Z\",\"progress\":null,\"outputs\":[],"
                + "\"lastHeartbeatAt\":null,\"cancelRequestedAt\":null,\"cancelRequestedBy\":null,\"version\":2}");
    }

    @Test
    void aViewShowsProgressOutputsFailureTailAndTheCancelRequest() {
        JobViewJson view = new JobViewJson(ID, "alice", "wordcount", Map.of(), "CANCELLED", 2,
                Instant.parse("2026-11-29T08:00:00Z"), Instant.parse("2026-11-29T08:00:01Z"),
                Instant.parse("2026-11-29T08:00:09Z"),
                new JobViewJson.FailureJson("PIPELINE", "rule count failed", 1, List.of("Error in rule count:", "exit 3")),
                "host-1", Instant.parse("2026-11-29T08:00:09Z"), new JobViewJson.ProgressJson(3, 7),
                List.of(new JobViewJson.OutputJson("results/counts.txt", 123)), Instant.parse("2026-11-29T08:00:08Z"),
                Instant.parse("2026-11-29T08:00:07Z"), "bob", 7);
        when(queries.get(ID, false, false)).thenReturn(Mono.just(Optional.of(view)));

        byte[] body = http.get().uri("/internal/jobs/{id}", ID).exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent();

        assertThat(new String(body, StandardCharsets.UTF_8)).contains(
                "\"failure\":{\"kind\":\"PIPELINE\",\"reason\":\"rule count failed\",\"exitCode\":1,"
                        + "\"logTail\":[\"Error in rule count:\",\"exit 3\"]}",
                "\"progress\":{\"done\":3,\"total\":7},\"outputs\":[{\"path\":\"results/counts.txt\",\"sizeBytes\":123}],"
                        + "\"lastHeartbeatAt\":\"2026-11-29T08:00:08Z\",\"cancelRequestedAt\":\"2026-11-29T08:00:07Z\","
                        + "\"cancelRequestedBy\":\"bob\",\"version\":7}");
    }

    @Test
    void logsAreJsonAndTheirParametersAreCheckedAndPassedOn() {
        when(queries.logs(eq(ID), any(), anyInt(), anyBoolean(), anyBoolean())).thenReturn(
                Mono.just(Optional.of(new JobLogJson(ID, 2, 41, List.of("line 41", "line 42"), 42))));

        byte[] body = http.get().uri("/internal/jobs/{id}/logs", ID).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBodyContent();
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"jobId\":\"" + ID + "\",\"attempt\":2,"
                + "\"firstLine\":41,\"lines\":[\"line 41\",\"line 42\"],\"totalLines\":42}");
        verify(queries).logs(eq(ID), isNull(), eq(10_000), eq(false), eq(false)); // every line, up to the cap

        http.get().uri("/internal/jobs/{id}/logs?attempt=1&tail=10000&local=true", ID).exchange().expectStatus().isOk();
        verify(queries).logs(eq(ID), eq(1), eq(10_000), eq(true), eq(false));
        http.get().uri("/internal/jobs/{id}/logs?tail= 5", ID).exchange().expectStatus().isOk();
        verify(queries).logs(eq(ID), isNull(), eq(5), eq(false), eq(false));

        for (String query : List.of("attempt=0", "attempt=-1", "attempt=two", "attempt=1.5", "attempt=")) {
            http.get().uri("/internal/jobs/" + ID + "/logs?" + query).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.title").isEqualTo("Bad query parameter")
                    .jsonPath("$.field").isEqualTo("attempt")
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("attempt: "));
        }
        for (String query : List.of("tail=0", "tail=10001", "tail=ten", "tail=99999999999")) {
            http.get().uri("/internal/jobs/" + ID + "/logs?" + query).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("tail");
        }
    }

    @Test
    void logsOfAnAbsentJobAreAProblem() {
        when(queries.logs(eq(ID), any(), anyInt(), anyBoolean(), anyBoolean())).thenReturn(Mono.just(Optional.empty()));
        http.get().uri("/internal/jobs/{id}/logs", ID).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Job not found")
                .jsonPath("$.instance").isEqualTo("/internal/jobs/" + ID + "/logs");

        when(queries.logs(eq(ID), any(), anyInt(), anyBoolean(), anyBoolean()))
                .thenReturn(Mono.error(new StoresUnavailableException("Kafka Streams is REBALANCING")));
        http.get().uri("/internal/jobs/{id}/logs", ID).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "3");
    }

    @Test
    void anAbsentJobIsAProblem() {
        when(queries.get(ID, true, false)).thenReturn(Mono.just(Optional.empty()));
        http.get().uri("/internal/jobs/{id}?local=true", ID).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.title").isEqualTo("Job not found")
                .jsonPath("$.instance").isEqualTo("/internal/jobs/" + ID);
    }

    @Test
    void storesThatCannotAnswerAreA503WithRetryAfter() {
        when(queries.get(ID, false, false)).thenReturn(Mono.error(new StoresUnavailableException("Kafka Streams is REBALANCING")));
        http.get().uri("/internal/jobs/{id}", ID).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "3")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(503);

        when(queries.list(any(), anyBoolean(), any(), anyBoolean()))
                .thenReturn(Mono.error(new StoresUnavailableException("no instance holds the stores yet")));
        http.get().uri("/internal/jobs").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "3");
    }

    @Test
    void listingParametersAreCheckedAndPassedOn() {
        when(queries.list(any(), anyBoolean(), any(), anyBoolean())).thenReturn(Mono.just(new JobPageJson(List.of(), false, 0, null)));

        http.get().uri("/internal/jobs").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"items\":[],\"hasMore\":false,\"total\":0}");
        verify(queries).list(eq(new ListingQuery(null, null, null, TimeRange.ALL, null, 50)), eq(false), isNull(), eq(false));

        String upper = ID.toUpperCase();
        http.get().uri(java.net.URI.create("/internal/jobs?status=completed&workflow=word%20count&submittedAfter=2026-11-29T08:00:00Z"
                + "&submittedBefore=2026-11-29T10:00:00.0005%2B01:00&limit=500&after=" + upper + "&local=true&partitions=0,2&stale=true"))
                .exchange()
                .expectStatus().isOk();
        verify(queries).list(eq(new ListingQuery(null, JobStatus.COMPLETED, "word count",
                        new TimeRange(Instant.parse("2026-11-29T08:00:00Z").toEpochMilli(),
                                Instant.parse("2026-11-29T09:00:00.001Z").toEpochMilli()), ID, 500)),
                eq(true), eq(List.of(0, 2)), eq(true));

        http.get().uri(java.net.URI.create("/internal/jobs?owner=team%2Fa%20%2B%20b%26c&status=RUNNING")).exchange()
                .expectStatus().isOk();
        verify(queries).list(eq(new ListingQuery("team/a + b&c", JobStatus.RUNNING, null, TimeRange.ALL, null, 50)), eq(false),
                isNull(), eq(false));
        http.get().uri("/internal/jobs?owner=" + "o".repeat(200)).exchange().expectStatus().isOk();

        for (String owner : List.of("", "%20%20", "o".repeat(201), "a%0Ab")) {
            http.get().uri(java.net.URI.create("/internal/jobs?owner=" + owner)).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("owner");
        }

        Map<String, String> bad = Map.of("status=DONE", "status", "limit=0", "limit", "limit=501", "limit", "limit=x", "limit",
                "after=42", "after", "submittedAfter=yesterday", "submittedAfter", "submittedBefore=2026-13-01T00:00:00Z",
                "submittedBefore",
                "submittedAfter=2026-11-29T08:00:00Z&submittedBefore=2026-11-29T08:00:00Z", "submittedBefore",
                "partitions=1", "partitions", "local=true&partitions=a", "partitions");
        bad.forEach((query, field) -> http.get().uri("/internal/jobs?" + query).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Bad query parameter")
                .jsonPath("$.field").isEqualTo(field));
    }

    @Test
    void aLongPollAnswersWithTheViewAndSaysWhetherItWasSatisfied() {
        JobViewJson view = new JobViewJson(ID, "alice", "mock", Map.of(), "COMPLETED", 1, null, null, null, null, null,
                Instant.parse("2026-11-29T08:00:00Z"), null, List.of(), null, null, null, 3);
        when(queries.await(eq(ID), any(), any(), anyBoolean())).thenReturn(Mono.just(Optional.of(new Waited(view, true))));

        http.get().uri("/internal/jobs/{id}?waitFor=completed&timeout=45s", ID).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Jobline-Wait", "satisfied")
                .expectBody().jsonPath("$.status").isEqualTo("COMPLETED").jsonPath("$.version").isEqualTo(3);
        verify(queries).await(ID, WaitFor.status(JobStatus.COMPLETED), Duration.ofSeconds(45), false);

        when(queries.await(eq(ID), eq(WaitFor.change(2L)), any(), anyBoolean()))
                .thenReturn(Mono.just(Optional.of(new Waited(view, false))));
        http.get().uri("/internal/jobs/{id}?waitFor=change&version=2&timeout=PT1M&local=true", ID).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Jobline-Wait", "timeout");
        verify(queries).await(ID, WaitFor.change(2L), Duration.ofMinutes(1), true);

        http.get().uri("/internal/jobs/{id}?waitFor=change", ID).exchange().expectStatus().isOk();
        verify(queries).await(ID, WaitFor.change(null), Duration.ofSeconds(30), false); // the default timeout

        Map<String, String> bad = Map.of("waitFor=DONE", "waitFor", "waitFor=change&timeout=61s", "timeout",
                "waitFor=RUNNING&timeout=soon", "timeout", "waitFor=RUNNING&timeout=-PT1S", "timeout",
                "waitFor=change&version=-1", "version", "waitFor=change&version=v2", "version");
        bad.forEach((query, field) -> http.get().uri("/internal/jobs/" + ID + "?" + query).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field));

        when(queries.await(eq(ID), eq(WaitFor.status(JobStatus.RUNNING)), any(), anyBoolean()))
                .thenReturn(Mono.just(Optional.empty()));
        http.get().uri("/internal/jobs/{id}?waitFor=RUNNING", ID).exchange().expectStatus().isNotFound();
    }

    @Test
    void historyParametersAreCheckedAndPassedOn() {
        when(queries.history(eq(ID), anyLong(), anyInt(), anyBoolean(), anyBoolean()))
                .thenReturn(Mono.just(Optional.of(new JobHistoryJson(ID, List.of(), false))));
        http.get().uri("/internal/jobs/{id}/history", ID).exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"jobId\":\"" + ID + "\",\"entries\":[],\"hasMore\":false}");
        verify(queries).history(ID, 0, 1000, false, false);
        http.get().uri("/internal/jobs/{id}/history?after=12&limit=10000&local=true", ID).exchange().expectStatus().isOk();
        verify(queries).history(ID, 12, 10_000, true, false);

        for (String query : List.of("after=-1", "after=x", "limit=0", "limit=10001")) {
            http.get().uri("/internal/jobs/" + ID + "/history?" + query).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.field").isEqualTo(query.substring(0, query.indexOf('=')));
        }
        when(queries.history(eq(ID), anyLong(), anyInt(), anyBoolean(), anyBoolean())).thenReturn(Mono.just(Optional.empty()));
        http.get().uri("/internal/jobs/{id}/history", ID).exchange().expectStatus().isNotFound();
    }

    @Test
    void anIdempotencyKeyAnswersWithItsJobOrAProblem() {
        String storeKey = "0f".repeat(32);
        when(keys.find(eq(storeKey), any(), anyBoolean(), anyBoolean())).thenReturn(Mono.just(Optional.of(
                new IdempotencyJson(ID, "ab".repeat(32), Instant.parse("2026-11-29T08:00:00.123Z")))));
        http.get().uri("/internal/idempotency/{key}?waitMillis=10000", storeKey).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().json("{\"jobId\":\"" + ID + "\",\"fingerprint\":\"" + "ab".repeat(32)
                        + "\",\"acceptedAt\":\"2026-11-29T08:00:00.123Z\"}", true);
        verify(keys).find(storeKey, Duration.ofSeconds(10), false, false);
        http.get().uri("/internal/idempotency/{key}?local=true&stale=true", storeKey).exchange().expectStatus().isOk();
        verify(keys).find(storeKey, Duration.ZERO, true, true);

        String absent = "1".repeat(64);
        when(keys.find(eq(absent), any(), anyBoolean(), anyBoolean())).thenReturn(Mono.just(Optional.empty()));
        http.get().uri("/internal/idempotency/{key}?waitMillis=0", absent).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Idempotency key not found")
                .jsonPath("$.instance").isEqualTo("/internal/idempotency/" + absent);

        when(keys.find(eq(absent), any(), eq(false), anyBoolean()))
                .thenReturn(Mono.error(new StoresUnavailableException("Kafka Streams is REBALANCING")));
        http.get().uri("/internal/idempotency/{key}", absent).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "3");

        Map<String, String> bad = Map.of(
                "0F".repeat(32), "storeKey", "0f".repeat(31), "storeKey", "0f".repeat(33), "storeKey",
                "..%2F" + "0".repeat(59), "storeKey", "g".repeat(64), "storeKey",
                storeKey + "?waitMillis=10001", "waitMillis", storeKey + "?waitMillis=-1", "waitMillis",
                storeKey + "?waitMillis=1s", "waitMillis", storeKey + "?local=maybe", "local");
        bad.forEach((path, field) -> http.get().uri(java.net.URI.create("/internal/idempotency/" + path)).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field));
    }
}
