package io.jobline.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import io.jobline.api.problem.ProblemType;
import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.schemas.JobStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document, fetched like a client does (real HTTP, no credentials), against the endpoints that exist:
 * every handler method of the application's request mapping (springdoc's own and actuator's excluded) is documented
 * with its method, path and parameters, and nothing else is; every operation requires one of the two credentials
 * and declares its errors as problems of their types.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentIT extends ApiIntegrationTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private JsonNode document;

    @BeforeAll
    void fetchTheDocumentWithoutCredentials() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        Files.writeString(Path.of("target", "openapi.json"), response.body());
        document = JsonMapper.builder().build().readTree(response.body());
    }

    @Test
    void isOpenApi31() {
        assertThat(document.path("openapi").asString()).startsWith("3.1.");
    }

    @Test
    void documentsExactlyTheEndpointsThatExist() {
        assertThat(documentedOperations()).isEqualTo(handlerOperations()).isNotEmpty();
    }

    @Test
    void documentsExactlyTheParametersOfEachHandler() {
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (!isApplicationHandler(method)) {
                return;
            }
            for (String operation : operations(info)) {
                JsonNode documented = operation(operation);
                Set<String> query = new TreeSet<>();
                Set<String> path = new TreeSet<>();
                for (JsonNode parameter : documented.path("parameters")) {
                    String in = parameter.path("in").asString();
                    if (in.equals("query")) {
                        query.add(parameter.path("name").asString());
                    } else if (in.equals("path")) {
                        path.add(parameter.path("name").asString());
                    }
                    assertThat(isBounded(parameter.path("schema")))
                            .as("%s: %s has bounds", operation, parameter.path("name").asString()).isTrue();
                }
                assertThat(query).as(operation).isEqualTo(annotated(method, RequestParam.class));
                assertThat(path).as(operation).isEqualTo(annotated(method, PathVariable.class));
            }
        });
    }

    @Test
    void everyOperationRequiresAnApiKeyOrABearerToken() {
        JsonNode schemes = document.path("components").path("securitySchemes");
        assertThat(schemes.path(SharedApiParts.API_KEY).path("type").asString()).isEqualTo("apiKey");
        assertThat(schemes.path(SharedApiParts.API_KEY).path("in").asString()).isEqualTo("header");
        assertThat(schemes.path(SharedApiParts.API_KEY).path("name").asString()).isEqualTo("X-API-Key");
        assertThat(schemes.path(SharedApiParts.BEARER_TOKEN).path("type").asString()).isEqualTo("http");
        assertThat(schemes.path(SharedApiParts.BEARER_TOKEN).path("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.path(SharedApiParts.BEARER_TOKEN).path("bearerFormat").asString()).isEqualTo("JWT");
        for (String operation : documentedOperations()) {
            JsonNode documented = operation(operation);
            List<String> alternatives = new ArrayList<>();
            documented.path("security").forEach(requirement -> alternatives.add(String.join("+",
                    requirement.propertyNames())));
            assertThat(alternatives).as(operation)
                    .containsExactlyInAnyOrder(SharedApiParts.API_KEY, SharedApiParts.BEARER_TOKEN);
            assertThat(documented.path("responses").has("401")).as(operation + " declares 401").isTrue();
            assertThat(documented.path("responses").path("401").path("headers").has("WWW-Authenticate")).isTrue();
        }
    }

    @Test
    void everyErrorAnswerIsAProblemOfTheTypeOfItsStatus() {
        for (String operation : documentedOperations()) {
            operation(operation).path("responses").properties().forEach(answer -> {
                int status = Integer.parseInt(answer.getKey());
                if (status < 400) {
                    return;
                }
                JsonNode schema = answer.getValue().path("content").path("application/problem+json").path("schema");
                assertThat(schema.path("allOf").get(0).path("$ref").asString()).as("%s %s", operation, status)
                        .isEqualTo("#/components/schemas/Problem");
                assertThat(schema.path("allOf").get(1).path("properties").path("type").path("const").asString())
                        .as("%s %s", operation, status).isEqualTo(ProblemType.of(status).uri().toString());
                if (status == 429 || status == 503) {
                    assertThat(answer.getValue().path("headers").has("Retry-After")).as("%s %s", operation, status)
                            .isTrue();
                }
            });
        }
        assertThat(document.path("components").path("schemas").path("Problem").path("required"))
                .extracting(JsonNode::asString).contains("type", "title", "status");
    }

    @Test
    void theSubmissionHeadersAndAnswersAreDocumented() {
        JsonNode submit = operation("POST /jobs");
        assertThat(submit.path("parameters").findValuesAsString("name")).contains("Idempotency-Key");
        assertThat(submit.path("responses").path("202").path("headers").propertyNames())
                .contains("Location", "X-Request-Id", "Idempotent-Replayed");
        assertThat(submit.path("responses").propertyNames()).contains("202", "400", "401", "413", "415", "422", "429",
                "503");
        JsonNode body = document.path("components").path("schemas").path(SharedApiParts.SUBMISSION);
        assertThat(body.path("additionalProperties").asBoolean(true)).as("no other fields").isFalse();
        assertThat(body.path("properties").path("workflow").path("enum")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("mock", "rnaseq", "fail-at", "wordcount");
        assertThat(body.path("properties").path("parameters").path("maxProperties").asInt()).isEqualTo(100);
        assertThat(body.path("properties").path("parameters").path("additionalProperties").path("maxLength").asInt())
                .isEqualTo(4096);
        assertThat(operation("GET /jobs/{id}").path("parameters").findValuesAsString("name"))
                .contains("waitFor", "timeout", "version");
        JsonNode status = operation("GET /jobs").path("parameters").findParents("name").stream()
                .filter(parameter -> parameter.path("name").asString().equals("status")).findFirst().orElseThrow();
        assertThat(status.path("schema").path("enum")).extracting(JsonNode::asString)
                .containsExactlyElementsOf(Arrays.stream(JobStatus.values()).map(Enum::name).toList());
        for (String schema : List.of("JobView", "JobPage", "JobLog", "JobHistory", "JobHistoryEntry")) {
            assertThat(document.path("components").path("schemas").has(schema)).as(schema).isTrue();
        }
    }

    @Test
    void swaggerUiIsServedWithoutCredentials() throws Exception {
        HttpResponse<String> page = get("/swagger-ui.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
        HttpResponse<String> config = get("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs");
    }

    private Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().propertyNames().forEach(method -> {
            if (HTTP_METHODS.contains(method)) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    private Set<String> handlerOperations() {
        Set<String> operations = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (isApplicationHandler(method)) {
                operations.addAll(operations(info));
            }
        });
        return operations;
    }

    private static boolean isApplicationHandler(HandlerMethod method) {
        String type = method.getBeanType().getName();
        return !type.startsWith("org.springdoc.") && !type.startsWith("org.springframework.boot.actuate.");
    }

    private static List<String> operations(RequestMappingInfo info) {
        assertThat(info.getMethodsCondition().getMethods()).as("%s names its methods", info).isNotEmpty();
        List<String> operations = new ArrayList<>();
        info.getMethodsCondition().getMethods().forEach(method -> info.getPatternsCondition().getPatterns()
                .forEach(pattern -> operations.add(method.name() + " " + pattern.getPatternString())));
        return operations;
    }

    private JsonNode operation(String operation) {
        String[] parts = operation.split(" ", 2);
        JsonNode documented = document.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
        assertThat(documented.isObject()).as("%s is documented", operation).isTrue();
        return documented;
    }

    private static Set<String> annotated(HandlerMethod method, Class<? extends java.lang.annotation.Annotation> kind) {
        Set<String> names = new TreeSet<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            Object annotation = parameter.getParameterAnnotation(kind);
            if (annotation instanceof RequestParam param) {
                names.add(param.name());
            } else if (annotation instanceof PathVariable variable) {
                names.add(variable.name());
            }
        }
        return names;
    }

    /** An enum, a length, a range, a pattern or a format that fixes the length (uuid, date-time). */
    private static boolean isBounded(JsonNode schema) {
        return schema.has("enum") || schema.has("maxLength") || schema.has("maximum") || schema.has("pattern")
                || Set.of("uuid", "date-time").contains(schema.path("format").asString(""));
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
