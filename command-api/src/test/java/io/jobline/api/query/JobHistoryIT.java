package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /jobs/{id}/history} over real HTTP: the projection's history of a job, passed through unchanged. */
class JobHistoryIT extends ApiIntegrationTest {

    private static final String ID = "0193a5c2-8f00-7000-8000-00000000c001";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeEach
    void resetProjection() {
        PROJECTION.reset();
    }

    @Test
    void theHistoryIsTheProjectionsJsonUnchanged() {
        PROJECTION.put(FakeProjection.view(ID, "FAILED"));
        List<Map<String, Object>> entries = entries();
        PROJECTION.putHistory(ID, entries);

        String body = client.get().uri("/jobs/" + ID + "/history").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("jobId", ID);
        expected.put("entries", entries);
        expected.put("hasMore", false);
        assertThat(body).isEqualTo(JSON.writeValueAsString(expected));
        assertThat(PROJECTION.requests()).extracting(URI::getPath, URI::getQuery)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/internal/jobs/" + ID, null), org.assertj.core.groups.Tuple.tuple("/internal/jobs/" + ID + "/history", null));
    }

    @Test
    void afterAndLimitArePassedOn() {
        PROJECTION.put(FakeProjection.view(ID, "FAILED"));
        PROJECTION.putHistory(ID, entries());
        client.get().uri("/jobs/" + ID.toUpperCase() + "/history?after=1&limit=1").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.jobId").isEqualTo(ID)
                .jsonPath("$.entries[*].seq").isEqualTo(List.of(2))
                .jsonPath("$.entries[0].type").isEqualTo("JobStarted")
                .jsonPath("$.hasMore").isEqualTo(true);
        client.get().uri("/jobs/" + ID + "/history?after=2&limit=10000").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.entries[*].seq").isEqualTo(List.of(3))
                .jsonPath("$.hasMore").isEqualTo(false);
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsExactly(null, "after=1&limit=1", null, "after=2&limit=10000");
    }

    @Test
    void anUnknownJobIsA404Problem() {
        client.get().uri("/jobs/" + ID + "/history").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.instance").isEqualTo("/jobs/" + ID + "/history");
        assertThat(PROJECTION.requests()).hasSize(1);
    }

    @Test
    void anIdThatIsNotAUuidIsA404WithoutAskingTheProjection() {
        client.get().uri("/jobs/not-a-job/history").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"after=-1, after", "after=x, after", "after=1.5, after", "limit=0, limit", "limit=10001, limit",
            "limit=many, limit"})
    void badParametersAreA400NamingThem(String query, String field) {
        client.get().uri("/jobs/" + ID + "/history?" + query).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"entries\":[],\"hasMore\":false}",
            "{\"jobId\":\"0193a5c2-8f00-7000-8000-00000000c002\",\"entries\":[],\"hasMore\":false}",
            "{\"jobId\":\"0193a5c2-8f00-7000-8000-00000000c001\",\"entries\":{},\"hasMore\":false}",
            "{\"jobId\":\"0193a5c2-8f00-7000-8000-00000000c001\",\"entries\":[1],\"hasMore\":false}",
            "{\"jobId\":\"0193a5c2-8f00-7000-8000-00000000c001\",\"entries\":[]}"})
    void anUnusableAnswerIsA503(String body) {
        PROJECTION.answerWithBody(200, body);
        client.get().uri("/jobs/" + ID + "/history").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "7")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aProjectionThatCannotAnswerIsA503WithItsRetryAfter() {
        PROJECTION.answerWith(503, "4");
        client.get().uri("/jobs/" + ID + "/history").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "4");
    }

    /** Three entries in the documented shape: a command, an event, and one with a decimal and a nested record. */
    private static List<Map<String, Object>> entries() {
        Map<String, Object> submitted = new LinkedHashMap<>();
        submitted.put("seq", 1);
        submitted.put("topic", "jobline.commands");
        submitted.put("partition", 0);
        submitted.put("offset", 12);
        submitted.put("timestamp", "2026-11-29T08:00:00.120Z");
        submitted.put("type", "JobSubmitted");
        submitted.put("attempt", null);
        submitted.put("by", "alice");
        submitted.put("at", "2026-11-29T08:00:00.100Z");
        submitted.put("record", Map.of("jobId", ID, "owner", "alice", "workflow", "mock",
                "parameters", Map.of("k", "v"), "submittedAt", "2026-11-29T08:00:00.100Z", "requestId", "r-1"));
        Map<String, Object> started = new LinkedHashMap<>(submitted);
        started.put("seq", 2);
        started.put("topic", "jobline.events");
        started.put("partition", 3);
        started.put("offset", 9_000_000_000L);
        started.put("type", "JobStarted");
        started.put("attempt", 1);
        started.put("by", "processor-host-1234");
        started.put("record", Map.of("jobId", ID, "attempt", 1, "worker", "processor-host-1234"));
        Map<String, Object> failed = new LinkedHashMap<>(started);
        failed.put("seq", 3);
        failed.put("offset", 9_000_000_001L);
        failed.put("type", "JobFailed");
        failed.put("by", null);
        failed.put("record", Map.of("jobId", ID, "attempt", 1, "failure",
                Map.of("kind", "PIPELINE", "reason", "rule x failed", "exitCode", 1, "ratio", 0.5)));
        return List.of(submitted, started, failed);
    }
}
