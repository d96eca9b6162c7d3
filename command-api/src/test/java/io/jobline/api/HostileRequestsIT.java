package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.nimbusds.jwt.JWTClaimsSet;

import io.jobline.api.problem.ProblemType;
import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.RawHttp;
import io.jobline.api.support.TestCallers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A catalog of hostile and malformed requests, sent byte for byte over a socket to the running API (in-process
 * broker, fake projection, local token issuer). Each answers its exact status with an {@code application/problem+json}
 * body of the exact {@link ProblemType}, naming the field at fault where there is one; none answers 5xx or shows a
 * stack trace or an internal class, and none of them writes a record to {@code jobline.commands}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsIT extends ApiIntegrationTest {

    /** A job of the tester that exists, so that requests about it get past the 404. */
    private static final String JOB = "0193a5c2-8f00-7000-8000-00000000b001";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] NO_BODY = new byte[0];
    /** A submission that would be accepted: what makes a request of the catalog hostile is elsewhere. */
    private static final String VALID_JOB = "{\"workflow\":\"mock\"}";

    @LocalServerPort
    int port;

    private long commandsBefore;

    @BeforeAll
    void rememberTheCommandsTopic() {
        PROJECTION.reset();
        PROJECTION.put(FakeProjection.view(JOB, "RUNNING"));
        commandsBefore = commandsEndOffset();
    }

    @AfterAll
    void noneOfThemWroteACommand() {
        assertThat(commandsEndOffset()).as("records on jobline.commands after the catalog").isEqualTo(commandsBefore);
    }

    static Stream<Hostile> catalog() {
        List<Hostile> all = new ArrayList<>();
        body(all);
        pathsAndQueries(all);
        headers(all);
        credentials(all);
        return all.stream();
    }

    private static void body(List<Hostile> all) {
        all.add(submit("broken JSON", "{\"workflow\":").invalid("body"));
        all.add(submit("form data sent as JSON", "workflow=mock").invalid("body"));
        all.add(submit("JSON null", "null").invalid("body"));
        all.add(submit("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}'}).invalid("body"));
        all.add(submit("raw control character in a string", "{\"workflow\":\"mo\u0001ck\"}").invalid("body"));
        all.add(post("wrong content type", "/jobs", "text/plain", VALID_JOB)
                .expect(415, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
        all.add(post("XML", "/jobs", "application/xml", "<job><workflow>mock</workflow></job>")
                .expect(415, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
        all.add(post("no content type", "/jobs", null, VALID_JOB)
                .expect(415, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
        all.add(post("unparseable content type", "/jobs", ";;;", VALID_JOB)
                .expect(415, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
        all.add(submit("huge body (1 MiB)", "{\"workflow\":\"mock\",\"parameters\":{\"a\":\"" + "x".repeat(1 << 20) + "\"}}")
                .expect(413, ProblemType.PAYLOAD_TOO_LARGE, "body"));
        all.add(submit("huge body streamed without Content-Length",
                "{\"workflow\":\"mock\",\"parameters\":{\"a\":\"" + "x".repeat(200 * 1024) + "\"}}").chunked()
                .expect(413, ProblemType.PAYLOAD_TOO_LARGE, "body"));
        all.add(submit("array nested 20000 deep", "{\"workflow\":\"mock\",\"x\":" + "[".repeat(20_000)
                + "]".repeat(20_000) + "}").invalid("body"));
        all.add(submit("parameter value nested 100 objects deep", "{\"workflow\":\"mock\",\"parameters\":{\"a\":"
                + "{\"b\":".repeat(100) + "1" + "}".repeat(100) + "}}").invalid("body"));
        all.add(submit("unknown field", "{\"workflow\":\"mock\",\"priority\":\"high\"}").invalid("priority"));
        all.add(submit("owner in the body", "{\"owner\":\"ops\",\"workflow\":\"mock\"}").invalid("owner"));
        all.add(submit("workflow a number", "{\"workflow\":42}").invalid("workflow"));
        all.add(submit("parameters an array", "{\"workflow\":\"mock\",\"parameters\":[\"a\"]}").invalid("parameters"));
        all.add(submit("parameter value a boolean", params("\"a\":true")).invalid("parameters.a"));
        all.add(submit("escaped control character in the workflow", "{\"workflow\":\"mock\\u0007\"}")
                .invalid("workflow"));
        all.add(submit("ANSI escape in a value", params("\"a\":\"\\u001b[31mred\"")).invalid("parameters.a"));
        all.add(submit("NUL in a value", params("\"a\":\"x\\u0000y\"")).invalid("parameters.a"));
        all.add(submit("value of 5000 characters", params("\"a\":\"" + "x".repeat(5000) + "\""))
                .invalid("parameters.a"));
        all.add(submit("workflow of 60000 characters", "{\"workflow\":\"" + "w".repeat(60_000) + "\"}")
                .invalid("workflow"));
        all.add(submit("parameter name of 10000 characters", params("\"" + "k".repeat(10_000) + "\":\"v\""))
                .invalid("parameters." + "k".repeat(80) + "..."));
        all.add(submit("value ../ traversal", params("\"input\":\"../../etc/passwd\"")).invalid("parameters.input"));
        all.add(submit("value an absolute path", params("\"input\":\"/etc/passwd\"")).invalid("parameters.input"));
        all.add(submit("value with a shell substitution", params("\"a\":\"$(rm -rf ~)\"")).invalid("parameters.a"));
        all.add(submit("parameter given twice", params("\"a\":\"1\",\"a\":\"2\"")).invalid("parameters.a"));
    }

    private static void pathsAndQueries(List<Hostile> all) {
        all.add(get("id with encoded ../ traversal", "/jobs/..%2F..%2Fetc%2Fpasswd").invalid("path"));
        all.add(get("id with encoded dots and slash", "/jobs/%2e%2e%2fadmin").invalid("path"));
        all.add(get("raw ../ in the path", "/jobs/../actuator/env").invalid("path"));
        all.add(get("an encoded absolute path as id", "/jobs/%2Fetc%2Fpasswd").invalid("path"));
        all.add(get("double slash", "/jobs//" + JOB).invalid("path"));
        all.add(get("path parameter with ;", "/jobs/" + JOB + ";jsessionid=x").invalid("path"));
        all.add(get("encoded NUL in the id", "/jobs/%00").invalid("path"));
        all.add(get("id that is not a UUID", "/jobs/not-a-job").expect(404, ProblemType.NOT_FOUND, null));
        all.add(get("id of 3000 characters", "/jobs/" + "a".repeat(3000)).expect(404, ProblemType.NOT_FOUND, null));
        all.add(get("limit 0", "/jobs?limit=0").invalid("limit"));
        all.add(get("negative limit", "/jobs?limit=-1").invalid("limit"));
        all.add(get("huge limit", "/jobs?limit=99999999999999999999").invalid("limit"));
        all.add(get("limit in exponent form", "/jobs?limit=1e3").invalid("limit"));
        all.add(get("garbage page token", "/jobs?pageToken=!!not-a-token!!").invalid("pageToken"));
        all.add(get("page token of 1000 characters", "/jobs?pageToken=" + "A".repeat(1000)).invalid("pageToken"));
        all.add(get("page token with ../ traversal", "/jobs?pageToken=..%2F..%2Fetc%2Fpasswd").invalid("pageToken"));
        all.add(get("forged page token", "/jobs?pageToken=" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("v2:../../../etc/passwd:AAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII)))
                .invalid("pageToken"));
        all.add(get("time that is not an instant", "/jobs?submittedAfter=yesterday").invalid("submittedAfter"));
        all.add(get("time beyond year 9999", "/jobs?submittedBefore=%2B999999999-12-31T23:59:59Z")
                .invalid("submittedBefore"));
        all.add(get("time range backwards", "/jobs?submittedAfter=2026-11-29T08:00:00Z&submittedBefore=2026-11-28T08:00:00Z")
                .invalid("submittedBefore"));
        all.add(get("status in lower case", "/jobs?status=running").invalid("status"));
        all.add(get("control character in a query value", "/jobs?workflow=mo%1Bck").invalid("workflow"));
        all.add(get("unknown query parameter", "/jobs?owner=ops").invalid("owner"));
        all.add(get("query parameter given twice", "/jobs?limit=1&limit=500").invalid("limit"));
        all.add(post("query parameter on a submission", "/jobs?owner=ops", "application/json", VALID_JOB)
                .invalid("owner"));
        all.add(get("waitFor an unknown status", "/jobs/" + JOB + "?waitFor=DONE").invalid("waitFor"));
        all.add(get("timeout over 60s", "/jobs/" + JOB + "?waitFor=COMPLETED&timeout=61s").invalid("timeout"));
        all.add(get("negative timeout", "/jobs/" + JOB + "?waitFor=COMPLETED&timeout=PT-1S").invalid("timeout"));
        all.add(get("timeout without waitFor", "/jobs/" + JOB + "?timeout=1s").invalid("timeout"));
        all.add(get("negative version", "/jobs/" + JOB + "?waitFor=change&version=-1").invalid("version"));
        all.add(get("tail 0", "/jobs/" + JOB + "/logs?tail=0").invalid("tail"));
        all.add(get("attempt ../1", "/jobs/" + JOB + "/logs?attempt=..%2F1").invalid("attempt"));
        all.add(get("history limit over 10000", "/jobs/" + JOB + "/history?limit=10001").invalid("limit"));
        all.add(request("TRACE", "method TRACE", "/jobs", NO_BODY).invalid("method"));
        all.add(request("DELETE", "method DELETE on a job", "/jobs/" + JOB, NO_BODY)
                .expect(405, ProblemType.METHOD_NOT_ALLOWED, null));
        all.add(get("request line over 4 KiB", "/jobs?workflow=" + "w".repeat(5000))
                .expect(414, ProblemType.URI_TOO_LONG, "uri"));
        all.add(submit("Content-Length twice with different values (request smuggling)", VALID_JOB)
                .header("Content-Length", "5").invalid("request"));
        all.add(new Hostile("not HTTP at all", "HELLO THERE\r\n", NO_BODY).invalid("request"));
    }

    private static void headers(List<Hostile> all) {
        all.add(submit("Idempotency-Key of 200 characters", VALID_JOB)
                .header("Idempotency-Key", "k".repeat(200)).invalid("Idempotency-Key"));
        all.add(submit("Idempotency-Key with ../", VALID_JOB).header("Idempotency-Key", "../../x")
                .invalid("Idempotency-Key"));
        all.add(submit("Idempotency-Key twice", VALID_JOB).header("Idempotency-Key", "a")
                .header("Idempotency-Key", "b").invalid("Idempotency-Key"));
        all.add(get("Last-Event-ID of 9000 characters", "/jobs/stream").header("Last-Event-ID", "0-1." + "9".repeat(9000))
                .invalid("Last-Event-ID"));
        all.add(get("Last-Event-ID that is no cursor", "/jobs/" + JOB + "/events").header("Last-Event-ID", "../../etc")
                .invalid("Last-Event-ID"));
        all.add(get("Accept of 2000 characters", "/jobs").header("Accept", "application/json;q=0.9,"
                .repeat(90)).invalid("Accept"));
        all.add(get("Accept that the API cannot answer", "/jobs").header("Accept", "application/xml")
                .expect(406, ProblemType.NOT_ACCEPTABLE, "Accept"));
        all.add(post("Content-Type of 300 characters", "/jobs", "application/json; x=" + "y".repeat(300), VALID_JOB)
                .invalid("Content-Type"));
        all.add(get("control character in a header value", "/jobs").header("X-Trace", "a\u0001b").invalid("X-Trace"));
        all.add(post("C1 control character in Content-Type", "/jobs", "application/json\u0085", VALID_JOB)
                .invalid("Content-Type"));
        all.add(submit("C1 control character in Idempotency-Key", VALID_JOB)
                .header("Idempotency-Key", "key\u009b1").invalid("Idempotency-Key"));
        all.add(get("C1 control character in X-API-Key", "/jobs").apiKey("key\u0085").invalid("X-API-Key"));
        all.add(get("C1 control character in Last-Event-ID", "/jobs/" + JOB + "/events")
                .header("Last-Event-ID", "1-2-3\u0085").invalid("Last-Event-ID"));
        all.add(get("headers over 16 KiB together", "/jobs").header("X-Padding-1", "p".repeat(9000))
                .header("X-Padding-2", "p".repeat(9000)).expect(431, ProblemType.HEADERS_TOO_LARGE, "headers"));
    }

    private static void credentials(List<Hostile> all) {
        all.add(get("no credentials", "/jobs").noCredentials().unauthenticated("X-API-Key"));
        all.add(get("no credentials on a stream", "/jobs/stream").noCredentials().unauthenticated("X-API-Key"));
        all.add(submit("no credentials on a submission", VALID_JOB).noCredentials().unauthenticated("X-API-Key"));
        all.add(get("wrong API key", "/jobs").apiKey("not-a-key").unauthenticated("X-API-Key"));
        all.add(get("API key of 10000 characters", "/jobs").apiKey("k".repeat(10_000)).unauthenticated("X-API-Key"));
        all.add(get("API key and bearer token together", "/jobs").header("Authorization", "Bearer " + validToken())
                .unauthenticated("X-API-Key"));
        all.add(get("HTTP Basic", "/jobs").noCredentials().header("Authorization", "Basic dGVzdGVyOnRlc3Rlcg==")
                .unauthenticated("X-API-Key"));
        all.add(get("expired token", "/jobs").bearer(ISSUER.token(new JWTClaimsSet.Builder(claims())
                .issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build(), false))
                .unauthenticated("Authorization"));
        all.add(get("badly signed token", "/jobs").bearer(ISSUER.token(claims(), true))
                .unauthenticated("Authorization"));
        all.add(get("token for another audience", "/jobs").bearer(ISSUER.token(new JWTClaimsSet.Builder(claims())
                .audience("another-app").build(), false)).unauthenticated("Authorization"));
        all.add(get("token of another issuer", "/jobs").bearer(ISSUER.token(new JWTClaimsSet.Builder(claims())
                .issuer("https://issuer.example/evil").build(), false))
                .unauthenticated("Authorization"));
        all.add(get("unsigned token (alg none)", "/jobs").bearer(unsigned(claims())).unauthenticated("Authorization"));
        all.add(get("garbage bearer token", "/jobs").bearer("!!!garbage!!!").unauthenticated("Authorization"));
        all.add(get("bearer token of 9000 characters", "/jobs").bearer("a".repeat(9000))
                .unauthenticated("Authorization"));
        all.add(get("valid key without a role", "/jobs").apiKey(TestCallers.NO_ROLE_KEY)
                .expect(403, ProblemType.FORBIDDEN, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void isRefusedWithItsProblem(Hostile request) {
        RawHttp.Response response = RawHttp.exchange(port, request.head(port), request.payload());

        assertThat(response.status()).as("status").isEqualTo(request.status);
        assertThat(response.header("Content-Type")).as("content type").hasValue("application/problem+json");
        assertThat(response.body()).as("no stack trace or internals")
                .doesNotContain("\"trace\"", "at io.", "at org.", "at java.", "Exception", "io.jobline.", "springframework");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).as("type").isEqualTo(request.type.uri().toString());
        assertThat(problem.path("status").asInt()).isEqualTo(request.status);
        assertThat(problem.path("title").asString()).isNotBlank();
        if (request.field != null) {
            assertThat(problem.path("field").asString()).as("field").isEqualTo(request.field);
        }
    }

    // --- the catalog's vocabulary

    private static JWTClaimsSet claims() {
        return ISSUER.claims(TestCallers.TESTER, "user").build();
    }

    private static String validToken() {
        return ISSUER.token(claims(), false);
    }

    /** A token whose header says {@code alg: none}, with no signature. */
    private static String unsigned(JWTClaimsSet claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static String params(String entries) {
        return "{\"workflow\":\"mock\",\"parameters\":{" + entries + "}}";
    }

    private static Hostile get(String name, String target) {
        return request("GET", name, target, NO_BODY);
    }

    private static Hostile submit(String name, String body) {
        return submit(name, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Hostile submit(String name, byte[] body) {
        return request("POST", name, "/jobs", body).header("Content-Type", "application/json");
    }

    private static Hostile post(String name, String target, String contentType, String body) {
        Hostile request = request("POST", name, target, body.getBytes(StandardCharsets.UTF_8));
        return contentType == null ? request : request.header("Content-Type", contentType);
    }

    private static Hostile request(String method, String name, String target, byte[] body) {
        return new Hostile(name, method + " " + target + " HTTP/1.1\r\n", body).apiKey(TestCallers.TESTER_KEY);
    }

    /** One request of the catalog and what it must answer. */
    static final class Hostile {
        final String name;
        final String requestLine;
        final byte[] body;
        final List<String[]> headers = new ArrayList<>();
        boolean chunked;
        int status;
        ProblemType type;
        String field;

        Hostile(String name, String requestLine, byte[] body) {
            this.name = name;
            this.requestLine = requestLine;
            this.body = body;
        }

        Hostile header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        Hostile apiKey(String key) {
            noCredentials();
            return header("X-API-Key", key);
        }

        Hostile bearer(String token) {
            noCredentials();
            return header("Authorization", "Bearer " + token);
        }

        Hostile noCredentials() {
            headers.removeIf(header -> header[0].equals("X-API-Key"));
            return this;
        }

        Hostile chunked() {
            chunked = true;
            return this;
        }

        Hostile invalid(String field) {
            return expect(400, ProblemType.INVALID_REQUEST, field);
        }

        Hostile unauthenticated(String field) {
            return expect(401, ProblemType.UNAUTHENTICATED, field);
        }

        Hostile expect(int status, ProblemType type, String field) {
            this.status = status;
            this.type = type;
            this.field = field;
            return this;
        }

        String head(int port) {
            StringBuilder head = new StringBuilder(requestLine);
            if (!requestLine.contains(" HTTP/1.1")) {
                return head.toString(); // not HTTP: nothing else makes sense
            }
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            headers.forEach(header -> head.append(header[0]).append(": ").append(header[1]).append("\r\n"));
            if (body.length > 0 && !chunked) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            }
            return head.toString();
        }

        /** The body as it goes on the wire: in chunks of 8 KiB when chunked. */
        byte[] payload() {
            if (!chunked) {
                return body;
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int at = 0; at < body.length; at += 8192) {
                int size = Math.min(8192, body.length - at);
                out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, size);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
