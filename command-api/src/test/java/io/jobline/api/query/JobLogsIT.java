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
import org.springframework.http.MediaType;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.view.JobLog;

/** {@code GET /jobs/{id}/logs} through real HTTP, against a real HTTP server playing the projection's internal API. */
class JobLogsIT extends ApiIntegrationTest {

    private static final String ID = "0193a5c2-8f00-7000-8000-0000000000a1";
    private static final String UNKNOWN = "0193a5c2-8f00-7000-8000-0000000000a2";

    @BeforeEach
    void aJobWithLogLines() {
        PROJECTION.reset();
        PROJECTION.put(FakeProjection.view(ID, "FAILED"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", ID);
        answer.put("attempt", 2);
        answer.put("firstLine", 41);
        answer.put("lines", List.of("rule count:", "    input: words.txt", "Error in rule count:"));
        answer.put("totalLines", 43);
        PROJECTION.putLogs(ID, answer);
    }

    @Test
    void jsonIsThePassedThroughAnswerAndTheQueryIsPassedOn() {
        JobLog log = client.get().uri("/jobs/" + ID + "/logs?attempt=2&tail=3").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JobLog.class).returnResult().getResponseBody();

        assertThat(log).isEqualTo(new JobLog(ID, 2, 41,
                List.of("rule count:", "    input: words.txt", "Error in rule count:"), 43));
        assertThat(PROJECTION.requests()).extracting(URI::getPath, URI::getQuery)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/internal/jobs/" + ID, null),
                        org.assertj.core.groups.Tuple.tuple("/internal/jobs/" + ID + "/logs", "attempt=2&tail=3"));
    }

    @Test
    void theJsonHasExactlyTheDocumentedFields() {
        client.get().uri("/jobs/" + ID + "/logs").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectBody()
                .json("""
                        {"jobId":"%s","attempt":2,"firstLine":41,
                         "lines":["rule count:","    input: words.txt","Error in rule count:"],"totalLines":43}"""
                        .formatted(ID), org.springframework.test.json.JsonCompareMode.STRICT);
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsExactly(null, null);
    }

    @Test
    void textPlainIsTheLinesEachEndingWithANewline() {
        client.get().uri("/jobs/" + ID + "/logs?tail=3").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class)
                .isEqualTo("rule count:\n    input: words.txt\nError in rule count:\n");
    }

    @Test
    void aJobWithoutLinesIsAnEmptyAnswer() {
        String quiet = "0193a5c2-8f00-7000-8000-0000000000a3";
        PROJECTION.put(FakeProjection.view(quiet, "PENDING"));
        client.get().uri("/jobs/" + quiet + "/logs").exchange()
                .expectStatus().isOk()
                .expectBody().json("""
                        {"jobId":"%s","attempt":0,"firstLine":1,"lines":[],"totalLines":0}""".formatted(quiet));
        byte[] text = client.get().uri("/jobs/" + quiet + "/logs").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody().returnResult().getResponseBody();
        assertThat(text).isNullOrEmpty();
    }

    @Test
    void anUnknownJobIsA404ProblemWhateverTheClientAccepts() {
        client.get().uri("/jobs/" + UNKNOWN + "/logs").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        client.get().uri("/jobs/" + UNKNOWN + "/logs").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.instance").isEqualTo("/jobs/" + UNKNOWN + "/logs");
    }

    @Test
    void anIdThatIsNotAUuidIsA404WithoutAskingTheProjection() {
        client.get().uri("/jobs/not-a-job/logs").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"attempt=0, attempt", "attempt=-1, attempt", "attempt=x, attempt", "attempt=1.5, attempt",
            "tail=0, tail", "tail=10001, tail", "tail=abc, tail", "tail=99999999999, tail"})
    void badParametersAreA400NamingTheParameterWithoutAskingTheProjection(String query, String field) {
        client.get().uri("/jobs/" + ID + "/logs?" + query).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.errors[0].field").isEqualTo(field);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @Test
    void theProjectionNotAnsweringIsA503() {
        PROJECTION.answerWith(503, "2");
        client.get().uri("/jobs/" + ID + "/logs").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "2")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"not json", "{\"jobId\":\"x\"}", "{\"lines\":[\"a\"]}", "{\"jobId\":\"x\",\"lines\":\"a\"}"})
    void anUnreadableProjectionAnswerIsA503(String body) {
        PROJECTION.answerWithBody(200, body);
        client.get().uri("/jobs/" + ID + "/logs").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
