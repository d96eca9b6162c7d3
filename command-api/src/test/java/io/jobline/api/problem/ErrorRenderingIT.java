package io.jobline.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.TestCallers;

/**
 * Framework errors (no route, wrong method, wrong media types) are RFC 9457 problems too, without internals, each
 * with the problem type of its status and, for media types, the header at fault.
 */
class ErrorRenderingIT extends ApiIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void unknownRouteIsA404Problem() {
        client.get().uri("/nothing/here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/not-found")
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.trace").doesNotExist();
    }

    @Test
    void rootIsA404Problem() {
        client.get().uri("/").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void wrongMethodIsA405Problem() {
        client.put().uri("/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Allow")
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/method-not-allowed")
                .jsonPath("$.status").isEqualTo(405);
        client.delete().uri("/jobs/0193a5c2-8f00-7000-8000-000000000000").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void unacceptableResponseTypeIsA406Problem() {
        client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_XML)
                .bodyValue("{\"workflow\":\"mock\"}")
                .exchange()
                .expectStatus().isEqualTo(406)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/not-acceptable")
                .jsonPath("$.field").isEqualTo("Accept");
        client.get().uri("/jobs?limit=1").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isEqualTo(406)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void problemsAreServedToClientsThatAskForProblems() {
        client.get().uri("/jobs?limit=0").accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("limit");
    }

    @Test
    void unsupportedBodyTypeIsA415Problem() {
        client.post().uri("/jobs").contentType(MediaType.TEXT_PLAIN).bodyValue("workflow=mock").exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/unsupported-media-type")
                .jsonPath("$.field").isEqualTo("Content-Type")
                .jsonPath("$.status").isEqualTo(415);
    }

    @Test
    void unparseableAcceptIsTreatedAsAbsent() {
        client.get().uri("/jobs/not-a-job").header("Accept", ";;garbage").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
    }

    @Test
    void unparseableContentTypeIsA415Problem() throws Exception {
        // WebTestClient refuses to send these, the JDK client does not
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String contentType : new String[] {"garbage", "application/json;charset=nope", "*/*", ";"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                    .header("X-API-Key", TestCallers.TESTER_KEY)
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"workflow\":\"mock\"}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(contentType).isEqualTo(415);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("\"status\":415",
                    "\"type\":\"https://jobline.io/problems/unsupported-media-type\"");
        }
    }

    @Test
    void headRequestsOfUnknownRoutesAre404() {
        client.head().uri("/nothing").exchange().expectStatus().isNotFound();
    }
}
