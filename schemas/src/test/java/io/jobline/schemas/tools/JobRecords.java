package io.jobline.schemas.tools;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobOutput;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Progress;

/** One job's records on every topic, with fixed times, and the JSON the tools print for them. */
final class JobRecords {

    static final String JOB = "01a22675-1073-7552-a057-9b8fdf1c6091";
    static final Instant SUBMITTED = Instant.parse("2026-11-29T08:38:55.861Z");
    static final Instant STARTED = Instant.parse("2026-11-29T08:38:56.438Z");
    static final Instant FINISHED = Instant.parse("2026-11-29T08:39:01Z");

    private JobRecords() {
    }

    static JobCommand submitted() {
        return new JobCommand(JOB, new JobSubmitted(JOB, "alice", "wordcount",
                Map.of("words", "1000", "files", "4"), SUBMITTED, "req-1", null, null));
    }

    static JobEvent started() {
        return new JobEvent(JOB, new JobStarted(JOB, 1, STARTED, "vm-1"));
    }

    static JobEvent completed() {
        return new JobEvent(JOB, new JobCompleted(JOB, 1, STARTED, FINISHED,
                List.of(new JobOutput("results/counts.txt", 98L))));
    }

    static JobEvent failed() {
        return new JobEvent(JOB, new JobFailed(JOB, 2, null, FINISHED,
                new Failure(FailureKind.PIPELINE, "Snakemake exited with code 1: \"step\" failed", 1,
                        List.of("line one", "tab\there"))));
    }

    static JobStatusView view() {
        return JobStatusView.newBuilder()
                .setJobId(JOB).setOwner("alice").setWorkflow("wordcount").setParameters(Map.of("files", "4"))
                .setStatus(JobStatus.COMPLETED).setAttempt(1)
                .setSubmittedAt(SUBMITTED).setStartedAt(STARTED).setFinishedAt(FINISHED)
                .setWorker("vm-1").setUpdatedAt(FINISHED).setVersion(4)
                .setProgress(new Progress(11, 11))
                .setOutputs(List.of(new JobOutput("results/counts.txt", 98L)))
                .build();
    }

    static JobLogChunk logs() {
        return new JobLogChunk(JOB, 1, 1L, List.of("Building DAG of jobs...", "11 of 11 steps (100%) done"), FINISHED);
    }

    static final String SUBMITTED_JSON = "\"type\":\"JobSubmitted\",\"value\":{\"jobId\":\"" + JOB + "\","
            + "\"owner\":\"alice\",\"workflow\":\"wordcount\",\"parameters\":{\"files\":\"4\",\"words\":\"1000\"},"
            + "\"submittedAt\":\"2026-11-29T08:38:55.861Z\",\"requestId\":\"req-1\",\"idempotencyKey\":null,\"requestFingerprint\":null}";

    static final String STARTED_JSON = "\"type\":\"JobStarted\",\"value\":{\"jobId\":\"" + JOB + "\","
            + "\"attempt\":1,\"startedAt\":\"2026-11-29T08:38:56.438Z\",\"worker\":\"vm-1\"}";

    static final String COMPLETED_JSON = "\"type\":\"JobCompleted\",\"value\":{\"jobId\":\"" + JOB + "\","
            + "\"attempt\":1,\"startedAt\":\"2026-11-29T08:38:56.438Z\",\"finishedAt\":\"2026-11-29T08:39:01.000Z\","
            + "\"outputs\":[{\"path\":\"results/counts.txt\",\"sizeBytes\":98}]}";

    static final String FAILED_JSON = "\"type\":\"JobFailed\",\"value\":{\"jobId\":\"" + JOB + "\","
            + "\"attempt\":2,\"startedAt\":null,\"finishedAt\":\"2026-11-29T08:39:01.000Z\","
            + "\"failure\":{\"kind\":\"PIPELINE\",\"reason\":\"Snakemake exited with code 1: \\\"step\\\" failed\","
            + "\"exitCode\":1,\"logTail\":[\"line one\",\"tab\\there\"]}}";

    static final String VIEW_JSON = "\"type\":\"JobStatusView\",\"value\":{\"jobId\":\"" + JOB + "\","
            + "\"owner\":\"alice\",\"workflow\":\"wordcount\",\"parameters\":{\"files\":\"4\"},\"status\":\"COMPLETED\","
            + "\"attempt\":1,\"submittedAt\":\"2026-11-29T08:38:55.861Z\",\"startedAt\":\"2026-11-29T08:38:56.438Z\","
            + "\"finishedAt\":\"2026-11-29T08:39:01.000Z\",\"failure\":null,\"worker\":\"vm-1\","
            + "\"updatedAt\":\"2026-11-29T08:39:01.000Z\",\"version\":4,\"progress\":{\"done\":11,\"total\":11},"
            + "\"outputs\":[{\"path\":\"results/counts.txt\",\"sizeBytes\":98}],\"lastHeartbeatAt\":null,"
            + "\"cancelRequestedAt\":null,\"cancelRequestedBy\":null}";

    static final String LOGS_JSON = "\"type\":\"JobLogChunk\",\"value\":{\"jobId\":\"" + JOB + "\","
            + "\"attempt\":1,\"firstLine\":1,\"lines\":[\"Building DAG of jobs...\",\"11 of 11 steps (100%) done\"],"
            + "\"at\":\"2026-11-29T08:39:01.000Z\"}";
}
