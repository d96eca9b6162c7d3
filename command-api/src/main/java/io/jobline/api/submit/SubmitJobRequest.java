package io.jobline.api.submit;

import java.util.Map;

/** A request to run a workflow, after validation: the workflow is a configured one, parameters are checked strings. */
public record SubmitJobRequest(String workflow, Map<String, String> parameters) {

    public SubmitJobRequest {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}
