package io.jobline.api.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import io.jobline.api.problem.ProblemType;
import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.TestCallers;

/**
 * One request per validation rule of {@code POST /jobs} (and hostile ones), through real HTTP: each answers the
 * exact status with an {@code application/problem+json} body naming the field, and none of them writes anything to
 * {@code jobline.commands}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ValidationIT extends ApiIntegrationTest {

    private static final String JSON = "application/json";

    @LocalServerPort
    int port;

    private long endOffsetBefore;

    @BeforeAll
    void rememberCommandsEndOffset() {
        endOffsetBefore = commandsEndOffset();
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                // the body as a whole
                bad("empty body", JSON, "", "body"),
                bad("whitespace only", JSON, "  \n\t ", "body"),
                bad("null", JSON, "null", "body"),
                bad("array", JSON, "[{\"workflow\":\"mock\"}]", "body"),
                bad("number", JSON, "42", "body"),
                bad("huge number", JSON, "1" + "0".repeat(5000), "body"),
                bad("string", JSON, "\"mock\"", "body"),
                bad("boolean", JSON, "true", "body"),
                bad("truncated JSON", JSON, "{\"workflow\":", "body"),
                bad("unterminated string", JSON, "{\"workflow\":\"mock", "body"),
                bad("trailing comma", JSON, "{\"workflow\":\"mock\",}", "body"),
                bad("single quotes", JSON, "{'workflow':'mock'}", "body"),
                bad("comment", JSON, "/* hi */ {\"workflow\":\"mock\"}", "body"),
                bad("NaN", JSON, "{\"workflow\":\"mock\",\"parameters\":{\"a\":NaN}}", "body"),
                bad("garbage after the object", JSON, "{\"workflow\":\"mock\"} x", "body"),
                bad("two objects", JSON, "{\"workflow\":\"mock\"}{\"workflow\":\"mock\"}", "body"),
                bad("raw control character in a string", JSON, "{\"workflow\":\"mo\u0001ck\"}", "body"),
                bad("invalid UTF-8", JSON, bytes("{\"workflow\":\"mock\",\"parameters\":{\"a\":\""),
                        new byte[] {(byte) 0xC3, 0x28}, bytes("\"}}"), "body"),
                bad("nesting 10000 deep", JSON,
                        "{\"workflow\":\"mock\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}", "body"),
                bad("body over 64 KiB", JSON, "{\"workflow\":\"mock\",\"parameters\":{\"a\":\""
                        + "x".repeat(64 * 1024) + "\"}}", 413, "body"),
                // workflow
                bad("workflow missing", JSON, "{}", "workflow"),
                bad("workflow missing, parameters given", JSON, "{\"parameters\":{\"a\":\"b\"}}", "workflow"),
                bad("workflow null", JSON, "{\"workflow\":null}", "workflow"),
                bad("workflow a number", JSON, "{\"workflow\":1}", "workflow"),
                bad("workflow a huge number", JSON, "{\"workflow\":1e999999}", "workflow"),
                bad("workflow an array", JSON, "{\"workflow\":[\"mock\"]}", "workflow"),
                bad("workflow an object", JSON, "{\"workflow\":{\"name\":\"mock\"}}", "workflow"),
                bad("workflow unknown", JSON, "{\"workflow\":\"nope\"}", "workflow"),
                bad("workflow empty", JSON, "{\"workflow\":\"\"}", "workflow"),
                bad("workflow in other case", JSON, "{\"workflow\":\"MOCK\"}", "workflow"),
                bad("workflow with NUL", JSON, "{\"workflow\":\"mock\\u0000\"}", "workflow"),
                bad("workflow twice", JSON, "{\"workflow\":\"mock\",\"workflow\":\"rnaseq\"}", "workflow"),
                bad("workflow folder without a Snakefile", JSON, "{\"workflow\":\"no-snakefile\"}", "workflow"),
                bad("workflow folder whose name is not allowed", JSON, "{\"workflow\":\"Upper\"}", "workflow"),
                bad("workflow as a path", JSON, "{\"workflow\":\"../wordcount\"}", "workflow"),
                // unknown fields
                bad("unknown field", JSON, "{\"workflow\":\"mock\",\"priority\":\"high\"}", "priority"),
                bad("unknown field first", JSON, "{\"owner\":\"root\",\"workflow\":\"mock\"}", "owner"),
                bad("field name in other case", JSON, "{\"Workflow\":\"mock\"}", "workflow"),
                // parameters as a whole
                bad("parameters null", JSON, "{\"workflow\":\"mock\",\"parameters\":null}", "parameters"),
                bad("parameters an array", JSON, "{\"workflow\":\"mock\",\"parameters\":[\"a\"]}", "parameters"),
                bad("parameters a string", JSON, "{\"workflow\":\"mock\",\"parameters\":\"a=b\"}", "parameters"),
                bad("parameters twice", JSON,
                        "{\"workflow\":\"mock\",\"parameters\":{},\"parameters\":{}}", "parameters"),
                bad("101 parameters", JSON, "{\"workflow\":\"mock\",\"parameters\":{" + IntStream.range(0, 101)
                        .mapToObj(i -> "\"p" + i + "\":\"v\"").collect(Collectors.joining(",")) + "}}", "parameters"),
                // parameter values
                bad("value a number", JSON, params("\"a\":1"), "parameters.a"),
                bad("value null", JSON, params("\"a\":null"), "parameters.a"),
                bad("value a boolean", JSON, params("\"a\":true"), "parameters.a"),
                bad("value an object", JSON, params("\"a\":{\"b\":\"c\"}"), "parameters.a"),
                bad("value an array", JSON, params("\"a\":[\"b\"]"), "parameters.a"),
                bad("value over 4 KiB", JSON, params("\"a\":\"" + "x".repeat(4097) + "\""), "parameters.a"),
                bad("value over 4 KiB in UTF-8 bytes only", JSON, params("\"a\":\"" + "\u20ac".repeat(1366) + "\""),
                        "parameters.a"),
                bad("value with NUL", JSON, params("\"a\":\"x\\u0000y\""), "parameters.a"),
                bad("value with an unpaired surrogate", JSON, params("\"a\":\"\\ud800\""), "parameters.a"),
                bad("parameter twice", JSON, params("\"a\":\"1\",\"a\":\"2\""), "parameters.a"),
                // parameter values: the configured pattern and the path rules
                bad("value with ; touch x", JSON, params("\"a\":\"x; touch marker\""), "parameters.a"),
                bad("value with $(x)", JSON, params("\"a\":\"$(touch marker)\""), "parameters.a"),
                bad("value with backticks", JSON, params("\"a\":\"`touch marker`\""), "parameters.a"),
                bad("value with a newline", JSON, params("\"a\":\"x\\ntouch marker\""), "parameters.a"),
                bad("value with a carriage return", JSON, params("\"a\":\"x\\rtouch marker\""), "parameters.a"),
                bad("value with a pipe", JSON, params("\"a\":\"x | touch marker\""), "parameters.a"),
                bad("value with &&", JSON, params("\"a\":\"x && touch marker\""), "parameters.a"),
                bad("value with a redirection", JSON, params("\"a\":\"x > marker\""), "parameters.a"),
                bad("value with a single quote", JSON, params("\"a\":\"x' ; touch 'marker\""), "parameters.a"),
                bad("value with a double quote", JSON, params("\"a\":\"x\\\" ; touch \\\"marker\""), "parameters.a"),
                bad("value with a backslash", JSON, params("\"a\":\"x\\\\ny\""), "parameters.a"),
                bad("value ../etc", JSON, params("\"a\":\"../etc\""), "parameters.a"),
                bad("value with a .. segment inside", JSON, params("\"a\":\"data/../../etc/passwd\""), "parameters.a"),
                bad("value /abs", JSON, params("\"a\":\"/abs\""), "parameters.a"),
                bad("value with a bad character after a good one", JSON, params("\"ok\":\"S1\",\"b\":\"$HOME\""),
                        "parameters.b"),
                // parameter keys
                bad("key starting with a digit", JSON, params("\"1a\":\"v\""), "parameters.1a"),
                bad("key with a space", JSON, params("\"a b\":\"v\""), "parameters.a b"),
                bad("key empty", JSON, params("\"\":\"v\""), "parameters."),
                bad("key of 65 characters", JSON, params("\"" + "k".repeat(65) + "\":\"v\""),
                        "parameters." + "k".repeat(65)),
                bad("key with a slash", JSON, params("\"../etc\":\"v\""), "parameters.../etc"),
                bad("key with a shell character", JSON, params("\"a;rm\":\"v\""), "parameters.a;rm"),
                bad("key non-ASCII", JSON, params("\"\u00e4\":\"v\""), "parameters.\u00e4"),
                // content types
                bad("text/plain", "text/plain", "{\"workflow\":\"mock\"}", 415, null),
                bad("XML", "application/xml", "<job/>", 415, null),
                bad("form", "application/x-www-form-urlencoded", "workflow=mock", 415, null),
                bad("octet-stream", "application/octet-stream", "{\"workflow\":\"mock\"}", 415, null));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestIsRejectedWithAProblemNamingTheField(String name, String contentType, byte[] body,
            int status, String field) {
        var response = client.post().uri("/jobs")
                .header("Content-Type", contentType)
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.type").isEqualTo(ProblemType.of(status).uri().toString())
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.instance").isEqualTo("/jobs")
                .jsonPath("$.trace").doesNotExist()
                .jsonPath("$.exception").doesNotExist();
        if (field != null) {
            response.jsonPath("$.field").isEqualTo(field)
                    .jsonPath("$.errors[0].field").isEqualTo(field)
                    .jsonPath("$.errors[0].message").isNotEmpty()
                    .jsonPath("$.detail").isNotEmpty();
        }
    }

    @Order(1)
    @Test
    void everyViolationIsListedAndTheFirstIsNamed() {
        client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflow\":1,\"parameters\":{\"ok\":\"v\",\"a\":2,\"b c\":\"v\"},\"extra\":true}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.field").isEqualTo("workflow")
                .jsonPath("$.errors.length()").isEqualTo(4)
                .jsonPath("$.errors[*].field").value(fields -> assertThat(fields.toString())
                        .contains("workflow", "parameters.a", "parameters.b c", "extra"));
    }

    @Order(1)
    @Test
    void anUnknownWorkflowIsAnsweredWithTheAllowedOnes() {
        client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflow\":\"nope\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.field").isEqualTo("workflow")
                .jsonPath("$.errors[0].message").isEqualTo("must be one of [mock, rnaseq, fail-at, wordcount]");
    }

    @Order(1)
    @Test
    void aRejectedValueIsExplainedByItsCharacter() {
        client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(params("\"sample\":\"S1; touch marker\""))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.field").isEqualTo("parameters.sample")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .startsWith("parameters.sample: must not contain ';' (U+003B) (character 3)"));
    }

    @Order(1)
    @Test
    void aThousandUnknownFieldsGiveABoundedAnswer() {
        String body = "{\"workflow\":\"mock\"," + IntStream.range(0, 1000)
                .mapToObj(i -> "\"f" + i + "\":" + i).collect(Collectors.joining(",")) + "}";
        client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.field").isEqualTo("f0")
                .jsonPath("$.errors.length()").isEqualTo(JobRequestValidator.MAX_ERRORS);
    }

    @Order(1)
    @Test
    void bodyOverTheLimitWithoutContentLengthIs413NamingBody() throws Exception {
        // a streamed (chunked) body: no Content-Length, so only the bounded read can stop it
        byte[] body = ("{\"workflow\":\"mock\",\"parameters\":{\"a\":\"" + "x".repeat(200 * 1024) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"body\"", "\"type\":\"https://jobline.io/problems/payload-too-large\"");
    }

    @Order(1)
    @Test
    void bodyWithoutContentTypeIsUnsupported() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"workflow\":\"mock\"}")));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Order(2)
    @Test
    void noneOfTheInvalidRequestsWroteToKafka() {
        assertThat(commandsEndOffset()).isEqualTo(endOffsetBefore);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.send(request.header("X-API-Key", TestCallers.TESTER_KEY).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String params(String entries) {
        return "{\"workflow\":\"mock\",\"parameters\":{" + entries + "}}";
    }

    private static Arguments bad(String name, String contentType, String body, String field) {
        return bad(name, contentType, body, 400, field);
    }

    private static Arguments bad(String name, String contentType, String body, int status, String field) {
        return Arguments.of(name, contentType, body.getBytes(StandardCharsets.UTF_8), status, field);
    }

    private static Arguments bad(String name, String contentType, byte[] a, byte[] b, byte[] c, String field) {
        byte[] body = Arrays.copyOf(a, a.length + b.length + c.length);
        System.arraycopy(b, 0, body, a.length, b.length);
        System.arraycopy(c, 0, body, a.length + b.length, c.length);
        return Arguments.of(name, contentType, body, 400, field);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
