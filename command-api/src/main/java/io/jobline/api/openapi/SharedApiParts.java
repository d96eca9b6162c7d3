package io.jobline.api.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import io.jobline.api.ApiProperties;
import io.jobline.api.problem.ProblemType;
import io.jobline.api.submit.AllowedWorkflows;
import io.jobline.api.submit.JobRequestValidator;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * What the controllers' annotations do not say, the same for every operation: the two security schemes (API key,
 * JWT bearer token), required by every operation; the {@code Problem} schema, given to every error answer with the
 * {@link ProblemType} of its status as a {@code const}; the errors every operation may answer (400 for a header,
 * parameter or path out of bounds, 401, 403, 406, 414, 431, 500); {@code Retry-After} on 429 and 503; and the
 * configured workflows and parameter value pattern in the schema of the {@code POST /jobs} body.
 */
@Component
public class SharedApiParts implements OpenApiCustomizer {

    static final String API_KEY = "apiKey";
    static final String BEARER_TOKEN = "bearerToken";
    static final String PROBLEM = "Problem";
    static final String SUBMISSION = "JobSubmission";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final AllowedWorkflows workflows;
    private final ApiProperties properties;
    private final Map<String, String> commonErrors;

    public SharedApiParts(AllowedWorkflows workflows, ApiProperties properties,
            @Value("${server.netty.max-initial-line-length:4KB}") DataSize maxInitialLineLength,
            @Value("${server.max-http-request-header-size:8KB}") DataSize maxHeaderSize) {
        this.workflows = workflows;
        this.properties = properties;
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("400", "A header, query parameter or the path breaks a rule: a header over its length or given "
                + "twice, a query parameter this endpoint does not take or given twice, a control character, an "
                + "encoded '/' or '.', a ';' or a '..' segment in the path. `field` names it.");
        errors.put("401", "No credentials, or credentials that are not accepted: `field` names X-API-Key or "
                + "Authorization; WWW-Authenticate names the schemes.");
        errors.put("403", "The credentials grant no access to jobs: the caller has neither the role user nor admin.");
        errors.put("406", "Accept names no type this endpoint answers with.");
        errors.put("414", "The request line (method, path and query) is over " + maxInitialLineLength.toBytes()
                + " bytes.");
        errors.put("431", "The request's headers together are over " + maxHeaderSize.toBytes() + " bytes.");
        errors.put("500", "A fault of the service; the body holds no details.");
        this.commonErrors = errors;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.info(new Info().title("Jobline API").version("1")
                .description("Runs Snakemake workflows as jobs. Every operation needs an API key (X-API-Key) or a "
                        + "JWT bearer token; a caller sees and acts on its own jobs only (an admin on all). Every "
                        + "error is an RFC 9457 problem (application/problem+json) whose `type` is one of:\n\n"
                        + problemTypes()));
        Components components = openApi.getComponents() != null ? openApi.getComponents() : new Components();
        openApi.components(components);
        components.addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name("X-API-Key")
                .description("An API key (at most 256 characters); the service knows only its SHA-256."));
        components.addSecuritySchemes(BEARER_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT")
                .description("A JWT of the configured issuer (e.g. Amazon Cognito), at most 8192 characters: the owner "
                        + "is its sub, the roles its cognito:groups."));
        components.addSchemas(PROBLEM, problemSchema());
        Map<String, Schema<?>> fieldError = new LinkedHashMap<>();
        fieldError.put("field", string("The body field (dotted: parameters.x), query parameter, header, path, ..."));
        fieldError.put("message", string("The rule it breaks"));
        components.addSchemas("ProblemFieldError", object(fieldError, List.of("field", "message")));
        Schema<?> submission = components.getSchemas() == null ? null : components.getSchemas().get(SUBMISSION);
        if (submission != null) {
            publishSubmissionRules(submission);
        }
        List<SecurityRequirement> eitherCredential = List.of(new SecurityRequirement().addList(API_KEY),
                new SecurityRequirement().addList(BEARER_TOKEN));
        openApi.security(eitherCredential);
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                operation.security(eitherCredential);
                completeResponses(operation);
            }));
        }
        dropUnreferencedSchemas(openApi);
    }

    /**
     * Schemas springdoc derived from handlers' return types that an annotation then replaced ({@code JsonNode} of
     * the history, the SSE streams' element type) describe nothing that is sent.
     */
    private static void dropUnreferencedSchemas(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        boolean dropped = true;
        while (dropped && schemas != null) {
            Set<String> referenced = new java.util.HashSet<>();
            Json31.mapper().valueToTree(openApi).findValues("$ref").forEach(ref -> referenced.add(ref.asText()));
            dropped = schemas.keySet().removeIf(name -> !referenced.contains("#/components/schemas/" + name));
        }
    }

    private static String problemTypes() {
        StringBuilder table = new StringBuilder("| status | type | meaning |\n|---|---|---|\n");
        for (ProblemType type : ProblemType.values()) {
            table.append("| ").append(type.status()).append(" | `").append(type.uri()).append("` | ")
                    .append(type.meaning()).append(" |\n");
        }
        return table.toString();
    }

    /** Adds the common errors, gives every error its problem content and headers, and orders answers by status. */
    private void completeResponses(Operation operation) {
        ApiResponses declared = operation.getResponses() != null ? operation.getResponses() : new ApiResponses();
        Map<String, ApiResponse> all = new java.util.TreeMap<>(declared);
        commonErrors.forEach((status, description) -> all.putIfAbsent(status, new ApiResponse().description(description)));
        ApiResponses ordered = new ApiResponses();
        all.forEach((status, response) -> {
            if (status.length() == 3 && status.charAt(0) >= '4') {
                problem(response, ProblemType.of(Integer.parseInt(status)));
            }
            ordered.addApiResponse(status, response);
        });
        operation.responses(ordered);
    }

    private static void problem(ApiResponse response, ProblemType type) {
        Schema<?> typed = new Schema<>(SpecVersion.V31)
                .addAllOfItem(new Schema<>(SpecVersion.V31).$ref("#/components/schemas/" + PROBLEM))
                .addAllOfItem(object(Map.of(
                        "type", new Schema<>(SpecVersion.V31)._const(type.uri().toString()),
                        "status", new Schema<>(SpecVersion.V31)._const(type.status())), List.of()));
        response.content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(typed)));
        String description = response.getDescription() == null ? "" : response.getDescription();
        response.description(description + " Problem type: `" + type.uri() + "`.");
        if (type == ProblemType.RATE_LIMITED || type == ProblemType.UNAVAILABLE) {
            response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                    .schema(new Schema<>(SpecVersion.V31).types(Set.of("integer")).minimum(java.math.BigDecimal.ONE)));
        }
        if (type == ProblemType.UNAUTHENTICATED) {
            response.addHeaderObject("WWW-Authenticate", new Header()
                    .description("A challenge per accepted scheme: ApiKey (header X-API-Key) and Bearer")
                    .schema(string(null)));
        }
    }

    private static Schema<?> problemSchema() {
        Map<String, Schema<?>> fields = new LinkedHashMap<>();
        fields.put("type", string("The kind of problem: a URI under " + ProblemType.BASE).format("uri"));
        fields.put("title", string("A short summary of the kind of problem"));
        fields.put("status", new Schema<>(SpecVersion.V31).types(Set.of("integer")).description("The HTTP status"));
        fields.put("detail", string("What went wrong with this request"));
        fields.put("instance", string("The request's path").format("uri-reference"));
        fields.put("field", string("The body field, query parameter, header or path at fault, when there is one"));
        fields.put("errors", new Schema<>(SpecVersion.V31).types(Set.of("array"))
                .items(new Schema<>(SpecVersion.V31).$ref("#/components/schemas/ProblemFieldError"))
                .description("Every rule the request breaks (at most 20), the first being `field`'s"));
        fields.put("jobStatus", string("409 only: the status of the job that does not allow the request"));
        return object(fields, List.of("type", "title", "status"))
                .description("An RFC 9457 problem (application/problem+json). Never holds a stack trace.");
    }

    /** The configured rules of a submission, which annotations cannot know: workflows, value pattern, key pattern. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private void publishSubmissionRules(Schema<?> submission) {
        Map<String, Schema> fields = submission.getProperties();
        if (fields == null) {
            return;
        }
        Schema workflow = fields.get("workflow");
        if (workflow != null) {
            workflow.setEnum(new ArrayList<Object>(workflows.names()));
        }
        Schema parameters = fields.get("parameters");
        if (parameters != null) {
            parameters.propertyNames(new Schema<>(SpecVersion.V31).types(Set.of("string"))
                    .pattern("^" + JobRequestValidator.KEY_PATTERN.pattern() + "$"));
            parameters.additionalProperties(new Schema<>(SpecVersion.V31).types(Set.of("string"))
                    .maxLength(JobRequestValidator.MAX_VALUE_BYTES)
                    .pattern("^(?:" + properties.parameterValuePattern() + ")$")
                    .description("At most " + JobRequestValidator.MAX_VALUE_BYTES + " bytes in UTF-8; no NUL; neither "
                            + "an absolute path nor holding a '..' segment"));
        }
    }

    private static Schema<?> string(String description) {
        return new Schema<>(SpecVersion.V31).types(Set.of("string")).description(description);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> object(Map<String, ? extends Schema> fields, List<String> required) {
        Schema object = new Schema<>(SpecVersion.V31).types(Set.of("object"));
        object.setProperties(new LinkedHashMap<>(fields));
        if (!required.isEmpty()) {
            object.setRequired(required);
        }
        return object;
    }
}
