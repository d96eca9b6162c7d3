package io.jobline.processor.pipeline;

import java.util.Map;
import java.util.Objects;

import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobSubmitted;

/** What a pipeline is asked to run: one attempt of one job. */
public record JobSpec(String jobId, int attempt, String owner, String workflow, Map<String, String> parameters) {

    public JobSpec {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(workflow, "workflow");
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public static JobSpec of(JobSubmitted submitted, int attempt) {
        return new JobSpec(submitted.getJobId(), attempt, submitted.getOwner(), submitted.getWorkflow(),
                submitted.getParameters());
    }

    public static JobSpec of(JobRetryRequested retry) {
        return new JobSpec(retry.getJobId(), retry.getAttempt(), retry.getOwner(), retry.getWorkflow(),
                retry.getParameters());
    }
}
