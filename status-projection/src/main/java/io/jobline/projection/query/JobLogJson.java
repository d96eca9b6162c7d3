package io.jobline.projection.query;

import java.util.List;

import io.jobline.projection.logs.JobLogTail;

/**
 * The JSON of {@code GET /internal/jobs/{id}/logs}: lines {@code firstLine .. totalLines} of one attempt's log
 * (the last ones, when a tail was asked for or the log is longer than the cap).
 */
public record JobLogJson(String jobId, int attempt, long firstLine, List<String> lines, long totalLines) {

    public JobLogJson {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    static JobLogJson of(String jobId, JobLogTail tail) {
        return new JobLogJson(jobId, tail.attempt(), tail.firstLine(), tail.lines(), tail.totalLines());
    }
}
