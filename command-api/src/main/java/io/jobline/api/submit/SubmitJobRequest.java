package io.jobline.api.submit;

import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A request to run a workflow, after validation: the workflow is a configured one, parameters are checked strings.
 * Also the published schema of the {@code POST /jobs} body (the documentation adds the configured workflows and
 * value pattern, see {@code io.jobline.api.openapi}).
 */
@Schema(name = "JobSubmission", description = "The body of POST /jobs.",
        additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record SubmitJobRequest(
        @Schema(description = "The workflow to run: one the API allows.", requiredMode = Schema.RequiredMode.REQUIRED,
                example = "wordcount")
        String workflow,
        @Schema(description = "The workflow's parameters: at most " + JobRequestValidator.MAX_PARAMETERS
                + " entries, each key once; values are strings of at most " + JobRequestValidator.MAX_VALUE_BYTES
                + " UTF-8 bytes that match the configured pattern and are neither absolute paths nor hold a '..' "
                + "segment. Absent means none; null is refused.",
                maxProperties = JobRequestValidator.MAX_PARAMETERS, example = "{\"title\": \"Moby Dick\"}")
        Map<String, String> parameters) {

    public SubmitJobRequest {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}
