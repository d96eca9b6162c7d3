package io.jobline.api.view;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Log lines of one attempt of a job, as the projection's internal API and {@code GET /jobs/{id}/logs} answer them.
 *
 * @param jobId      the job
 * @param attempt    the attempt the lines belong to
 * @param firstLine  the number of {@code lines[0]} within the attempt's log, from 1
 * @param lines      the lines, oldest first, without line ends
 * @param totalLines how many lines the attempt's log has so far
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobLog(String jobId, int attempt, long firstLine, List<String> lines, long totalLines) {
}
