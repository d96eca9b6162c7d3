package io.jobline.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.view.JobPage;
import io.jobline.api.view.JobView;

/** {@code GET /jobs/{id}} and {@code GET /jobs} against a real HTTP server playing the projection's internal API. */
class JobQueriesIT extends ApiIntegrationTest {

    @LocalServerPort
    int port;

    private static final String ID_1 = "0193a5c2-8f00-7000-8000-000000000001";
    private static final String ID_2 = "0193a5c2-8f00-7000-8000-000000000002";
    private static final String ID_3 = "0193a5c2-8f00-7000-8000-000000000003";
    private static final String ID_4 = "0193a5c2-8f00-7000-8000-000000000004";
    private static final String ID_5 = "0193a5c2-8f00-7000-8000-000000000005";

    @BeforeEach
    void resetProjection() {
        PROJECTION.reset();
    }

    @Test
    void knownJobIsAnsweredInTheDocumentedShape() {
        Map<String, Object> view = FakeProjection.view(ID_1, "FAILED");
        view.put("finishedAt", "2026-11-29T08:00:01.000Z");
        view.put("failure", Map.of("kind", "PIPELINE", "reason", "rule x failed", "exitCode", 1));
        PROJECTION.put(view);

        client.get().uri("/jobs/" + ID_1).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().json("""
                        {"id":"%s","owner":"tester","workflow":"mock","parameters":{"k":"v"},"status":"FAILED",
                         "attempt":1,"submittedAt":"2026-11-29T08:00:00.123Z","startedAt":"2026-11-29T08:00:00.456Z",
                         "finishedAt":"2026-11-29T08:00:01Z","failure":{"kind":"PIPELINE","reason":"rule x failed","exitCode":1},
                         "worker":"processor-host-1234","updatedAt":"2026-11-29T08:00:00.456Z","version":2}""".formatted(ID_1))
                .jsonPath("$.length()").isEqualTo(18);
    }

    @Test
    void progressOutputsHeartbeatCancelAndLogTailPassThrough() {
        Map<String, Object> running = FakeProjection.view(ID_1, "CANCELLING");
        running.put("progress", Map.of("done", 3, "total", 7));
        running.put("lastHeartbeatAt", "2026-11-29T08:00:05.000Z");
        running.put("cancelRequestedAt", "2026-11-29T08:00:06.000Z");
        running.put("cancelRequestedBy", "alice");
        PROJECTION.put(running);
        Map<String, Object> completed = FakeProjection.view(ID_2, "COMPLETED");
        completed.put("outputs", List.of(Map.of("path", "results/counts.txt", "sizeBytes", 123),
                Map.of("path", "results/big.bin", "sizeBytes", 5_000_000_000L)));
        PROJECTION.put(completed);
        Map<String, Object> failed = FakeProjection.view(ID_3, "FAILED");
        failed.put("failure", Map.of("kind", "PIPELINE", "reason", "rule count failed", "exitCode", 1,
                "logTail", List.of("Error in rule count:", "    exit status 1")));
        PROJECTION.put(failed);

        client.get().uri("/jobs/" + ID_1).exchange()
                .expectStatus().isOk()
                .expectBody().json("""
                        {"status":"CANCELLING","progress":{"done":3,"total":7},"outputs":[],
                         "lastHeartbeatAt":"2026-11-29T08:00:05Z","cancelRequestedAt":"2026-11-29T08:00:06Z",
                         "cancelRequestedBy":"alice"}""")
                .jsonPath("$.progress.length()").isEqualTo(2);
        client.get().uri("/jobs/" + ID_2).exchange()
                .expectStatus().isOk()
                .expectBody().json("""
                        {"status":"COMPLETED","outputs":[{"path":"results/counts.txt","sizeBytes":123},
                         {"path":"results/big.bin","sizeBytes":5000000000}],"progress":null}""");
        client.get().uri("/jobs/" + ID_3).exchange()
                .expectStatus().isOk()
                .expectBody().json("""
                        {"failure":{"kind":"PIPELINE","reason":"rule count failed","exitCode":1,
                         "logTail":["Error in rule count:","    exit status 1"]}}""")
                .jsonPath("$.failure.length()").isEqualTo(4);
    }

    @Test
    void aViewWithoutTheNewerFieldsStillHasThemAllAsNullOrEmpty() {
        Map<String, Object> old = FakeProjection.view(ID_4, "FAILED");
        List.of("progress", "outputs", "lastHeartbeatAt", "cancelRequestedAt", "cancelRequestedBy", "version")
                .forEach(old::remove);
        old.put("failure", Map.of("kind", "WORKER_LOST", "reason", "no heartbeat"));
        PROJECTION.put(old);
        client.get().uri("/jobs/" + ID_4).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(18)
                .jsonPath("$.version").isEqualTo(0)
                .jsonPath("$.outputs.length()").isEqualTo(0)
                .jsonPath("$.progress").value(v -> assertThat(v).isNull())
                .jsonPath("$.failure.exitCode").value(v -> assertThat(v).isNull())
                .jsonPath("$.failure.logTail.length()").isEqualTo(0);
    }

    @Test
    void absentValuesAreNullNotOmitted() {
        PROJECTION.put(FakeProjection.view(ID_2, "PENDING"));
        client.get().uri("/jobs/" + ID_2).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(18)
                .jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.startedAt").value(v -> assertThat(v).isNull())
                .jsonPath("$.failure").value(v -> assertThat(v).isNull())
                .jsonPath("$.worker").value(v -> assertThat(v).isNull())
                .jsonPath("$.progress").value(v -> assertThat(v).isNull())
                .jsonPath("$.lastHeartbeatAt").value(v -> assertThat(v).isNull())
                .jsonPath("$.cancelRequestedAt").value(v -> assertThat(v).isNull())
                .jsonPath("$.cancelRequestedBy").value(v -> assertThat(v).isNull());
    }

    @Test
    void upperCaseIdIsNormalised() {
        PROJECTION.put(FakeProjection.view(ID_3, "RUNNING"));
        client.get().uri("/jobs/" + ID_3.toUpperCase()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(ID_3);
    }

    @Test
    void unknownJobIsA404Problem() {
        client.get().uri("/jobs/" + ID_4).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.instance").isEqualTo("/jobs/" + ID_4);
        assertThat(PROJECTION.requests()).extracting(URI::getPath).containsExactly("/internal/jobs/" + ID_4);
    }

    @ParameterizedTest
    @CsvSource({"not-a-uuid", "1-1-1-1-1", "0193a5c2-8f00-7000-8000-00000000000g", "0193a5c28f0070008000000000000001",
            "0193a5c2-8f00-7000-8000-0000000000011"})
    void idThatIsNotAUuidIsA404ProblemWithoutAskingTheProjection(String id) {
        client.get().uri("/jobs/" + id).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    /** Spring Security's firewall stops encoded dots and slashes before routing: a 400 naming the path. */
    @ParameterizedTest
    @CsvSource({"%2e%2e", "..%2f..%2fetc", "x;y"})
    void aPathWithEncodedTraversalIsA400ProblemWithoutAskingTheProjection(String id) {
        // as sent, not encoded again by the client
        client.get().uri(URI.create("http://127.0.0.1:" + port + "/jobs/" + id)).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("path");
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @Test
    void projectionNotQueryableIsA503WithItsRetryAfter() {
        PROJECTION.answerWith(503, "3");
        client.get().uri("/jobs/" + ID_1).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "3")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(503);
        client.get().uri("/jobs").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "3");
    }

    @Test
    void projectionFailingOtherwiseIsA503WithOurRetryAfter() {
        PROJECTION.answerWith(500, null);
        client.get().uri("/jobs/" + ID_1).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "7")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        PROJECTION.answerWith(400, null);
        client.get().uri("/jobs").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"not json", "[1,2]", "{\"id\":", "{\"items\":\"x\"}", "{\"attempt\":\"many\"}",
            "{\"items\":[{\"status\":\"RUNNING\",\"attempt\":1}],\"hasMore\":false,\"total\":1,\"status\":\"RUNNING\",\"attempt\":1}"})
    void unreadableProjectionAnswersAreA503(String body) {
        PROJECTION.answerWithBody(200, body);
        client.get().uri("/jobs/" + ID_1).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "7")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/jobs").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void pagesFollowTheTokenNewestFirstUntilTheLastPage() {
        for (String id : List.of(ID_1, ID_2, ID_3, ID_4, ID_5)) {
            PROJECTION.put(FakeProjection.view(id, "COMPLETED"));
        }
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        String token = null;
        do {
            String uri = token == null ? "/jobs?limit=2" : "/jobs?limit=2&pageToken=" + token;
            JobPage page = client.get().uri(uri).exchange()
                    .expectStatus().isOk()
                    .expectBody(JobPage.class).returnResult().getResponseBody();
            page.items().stream().map(JobView::id).forEach(seen::add);
            pageSizes.add(page.items().size());
            totals.add(page.total());
            token = page.nextPageToken();
        } while (token != null && seen.size() < 10);

        assertThat(seen).containsExactly(ID_5, ID_4, ID_3, ID_2, ID_1);
        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(totals).containsExactly(5L, 5L, 5L);
        assertThat(PROJECTION.requests()).extracting(URI::getQuery)
                .containsExactly("limit=2&owner=tester", "limit=2&owner=tester&after=" + ID_4,
                        "limit=2&owner=tester&after=" + ID_2);
    }

    @Test
    void lastPageHasNoNextPageToken() {
        PROJECTION.put(FakeProjection.view(ID_1, "RUNNING"));
        client.get().uri("/jobs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.nextPageToken").doesNotExist()
                .jsonPath("$.total").isEqualTo(1);
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsExactly("limit=50&owner=tester");
    }

    @Test
    void statusFilterAndLimitArePassedOn() {
        PROJECTION.put(FakeProjection.view(ID_1, "RUNNING"));
        PROJECTION.put(FakeProjection.view(ID_2, "FAILED"));
        PROJECTION.put(FakeProjection.view(ID_3, "RUNNING"));
        client.get().uri("/jobs?status=RUNNING&limit=500").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].id").isEqualTo(List.of(ID_3, ID_1));
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsExactly("limit=500&owner=tester&status=RUNNING");
    }

    @Test
    void emptyParametersCountAsNotGiven() {
        client.get().uri("/jobs?status=&limit=&pageToken=").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @ParameterizedTest
    @CsvSource({
            "limit=0, limit", "limit=501, limit", "limit=-1, limit", "limit=abc, limit", "limit=1.5, limit",
            "limit=99999999999999999999, limit", "status=running, status", "status=DONE, status",
            "status=RUNNING&status=FAILED, status", "pageToken=garbage!, pageToken", "pageToken=djE6bm90LWEtdXVpZA, pageToken",
            "pageToken=djI6MDE5M2E1YzItOGYwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx, pageToken",
            "pageToken=djE6MDE5M2E1YzItOGYwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAx, pageToken",
            "submittedAfter=yesterday, submittedAfter", "submittedAfter=2026-11-29, submittedAfter",
            "submittedBefore=2026-11-29T08:00:00, submittedBefore", "submittedBefore=1733652811520, submittedBefore",
            "submittedAfter=2026-11-29T08:00:00Z&submittedBefore=2026-11-29T08:00:00Z, submittedBefore",
            "submittedAfter=2026-11-30T00:00:00Z&submittedBefore=2026-11-29T00:00:00Z, submittedBefore"})
    void badListParametersAreA400ProblemNamingTheParameter(String query, String field) {
        client.get().uri("/jobs?" + query).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.errors[0].field").isEqualTo(field);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @Test
    void aWorkflowWithAControlCharacterIsA400() {
        client.get().uri(uri -> uri.path("/jobs").queryParam("workflow", "{w}").build("a\u0000b")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("workflow");
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @Test
    void filtersAndTotalArePassedOnAndThePageTokenKeepsThem() {
        PROJECTION.put(submitted(FakeProjection.view(ID_1, "COMPLETED"), "rnaseq", "2026-11-29T07:59:59.999Z"));
        PROJECTION.put(submitted(FakeProjection.view(ID_2, "COMPLETED"), "rnaseq", "2026-11-29T08:00:00Z"));
        PROJECTION.put(submitted(FakeProjection.view(ID_3, "FAILED"), "rnaseq", "2026-11-29T09:00:00Z"));
        PROJECTION.put(submitted(FakeProjection.view(ID_4, "COMPLETED"), "mock", "2026-11-29T10:00:00Z"));
        PROJECTION.put(submitted(FakeProjection.view(ID_5, "COMPLETED"), "rnaseq", "2026-11-29T11:00:00Z"));
        PROJECTION.put(submitted(FakeProjection.view("0193a5c2-8f00-7000-8000-000000000006", "COMPLETED"), "rnaseq",
                "2026-11-29T12:00:00Z"));
        // '+' unencoded (it arrives as a space) and an offset: the same instant as 2026-11-29T12:00:00Z
        String filters = "status=COMPLETED&workflow=rnaseq&submittedAfter=2026-11-29T08:00:00Z"
                + "&submittedBefore=2026-11-29T13:00:00+01:00";

        JobPage first = client.get().uri("/jobs?" + filters + "&limit=1").exchange()
                .expectStatus().isOk()
                .expectBody(JobPage.class).returnResult().getResponseBody();
        assertThat(first.items()).extracting(JobView::id).containsExactly(ID_5);
        assertThat(first.total()).isEqualTo(2);
        assertThat(first.nextPageToken()).isNotNull();

        client.get().uri("/jobs?" + filters + "&limit=5&pageToken=" + first.nextPageToken()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].id").isEqualTo(List.of(ID_2))
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.nextPageToken").doesNotExist();

        String forwarded = "status=COMPLETED&workflow=rnaseq&submittedAfter=2026-11-29T08:00:00Z"
                + "&submittedBefore=2026-11-29T12:00:00Z";
        assertThat(PROJECTION.requests()).extracting(URI::getQuery)
                .containsExactly("limit=1&owner=tester&" + forwarded,
                        "limit=5&owner=tester&" + forwarded + "&after=" + ID_5);
    }

    @Test
    void theTotalIsTheProjections() {
        PROJECTION.answerWithBody(200, "{\"items\":[],\"hasMore\":false,\"total\":1234567890123}");
        client.get().uri("/jobs?status=RUNNING").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"items\":[],\"total\":1234567890123}", JsonCompareMode.STRICT);
    }

    @Test
    void aPageWithoutTotalIsFromAProjectionTooOldToFilterAndA503() {
        PROJECTION.answerWithBody(200, "{\"items\":[],\"hasMore\":false}");
        client.get().uri("/jobs?workflow=rnaseq").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aWorkflowNameIsPassedOnWhateverItHolds() {
        client.get().uri(uri -> uri.path("/jobs").queryParam("workflow", "{w}").build("a&b=c+d e")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(0);
        assertThat(PROJECTION.requests()).extracting(URI::getRawQuery).containsExactly("limit=50&owner=tester&workflow=a%26b%3Dc%2Bd%20e");
    }

    @Test
    void aPageTokenUsedWithOtherFiltersIsA400() {
        for (String id : List.of(ID_1, ID_2, ID_3)) {
            PROJECTION.put(FakeProjection.view(id, "COMPLETED"));
        }
        String token = client.get().uri("/jobs?status=COMPLETED&limit=1").exchange()
                .expectStatus().isOk()
                .expectBody(JobPage.class).returnResult().getResponseBody().nextPageToken();
        assertThat(token).isNotNull();

        for (String other : List.of("status=FAILED", "", "status=COMPLETED&workflow=mock",
                "status=COMPLETED&submittedAfter=2026-01-01T00:00:00Z", "status=COMPLETED&submittedBefore=2027-01-01T00:00:00Z")) {
            client.get().uri("/jobs?" + other + "&limit=1&pageToken=" + token).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.field").isEqualTo("pageToken")
                    .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("other filters"));
        }
        client.get().uri("/jobs?limit=2&status=COMPLETED&pageToken=" + token).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[*].id").isEqualTo(List.of(ID_2, ID_1));
        assertThat(PROJECTION.requests()).hasSize(2);
    }

    private static Map<String, Object> submitted(Map<String, Object> view, String workflow, String at) {
        view.put("workflow", workflow);
        view.put("submittedAt", at);
        return view;
    }
}
