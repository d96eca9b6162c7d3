package io.jobline.projection.query;

import java.util.List;

import tools.jackson.databind.JsonNode;

/** The JSON of {@code GET /internal/jobs/{id}/history}: entries oldest first, as rendered when applied. */
public record JobHistoryJson(String jobId, List<JsonNode> entries, boolean hasMore) {

    public JobHistoryJson {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
