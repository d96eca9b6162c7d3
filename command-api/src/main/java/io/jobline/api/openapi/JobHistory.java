package io.jobline.api.openapi;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The published shape of {@code GET /jobs/{id}/history}, which passes the status-projection's JSON through
 * unchanged (the API never builds one of these).
 *
 * @param jobId   the job
 * @param entries the page's entries, in the order the projection applied them
 * @param hasMore whether entries after the last one exist
 */
@Schema(description = "One page of a job's history: every command and event of the job, all attempts, in order.")
public record JobHistory(
        @Schema(format = "uuid", requiredMode = Schema.RequiredMode.REQUIRED) String jobId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Entry> entries,
        @Schema(description = "true when more entries follow: ask again with after=<the last seq>",
                requiredMode = Schema.RequiredMode.REQUIRED) boolean hasMore) {

    @Schema(name = "JobHistoryEntry", description = "One command or event of the job, and where it was read.")
    public record Entry(
            @Schema(description = "Position in the job's history, from 1", requiredMode = Schema.RequiredMode.REQUIRED)
            long seq,
            @Schema(description = "The topic it was read from", example = "jobline.commands",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String topic,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int partition,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long offset,
            @Schema(description = "The Kafka record's timestamp", requiredMode = Schema.RequiredMode.REQUIRED)
            Instant timestamp,
            @Schema(description = "The command or event type", example = "JobSubmitted",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String type,
            @Schema(description = "The attempt it is about; null for submissions and cancel requests",
                    types = {"integer", "null"})
            Integer attempt,
            @Schema(description = "Who asked (owner, requester, jobline for automatic retries) or acted (the worker)",
                    types = {"string", "null"})
            String by,
            @Schema(description = "The time the record states (submitted, requested, started, finished, ...)",
                    types = {"string", "null"}, format = "date-time")
            Instant at,
            @Schema(description = "Every field of the command or event (times as ISO-8601)",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            Map<String, Object> record) {
    }
}
