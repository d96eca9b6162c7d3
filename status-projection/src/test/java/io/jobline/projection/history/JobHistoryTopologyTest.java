package io.jobline.projection.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.TestInputTopic;

import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.projection.ProjectionDriver;

import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Progress;

import tools.jackson.databind.JsonNode;

class JobHistoryTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final String ID = "019ad3a4-3c00-7001-8000-000000000001";
    private static final String OTHER = "019ad3a4-3c00-7002-8000-000000000002";

    @TempDir
    Path stateDir;

    private ProjectionDriver driver;
    private TestInputTopic<String, JobCommand> commands;
    private TestInputTopic<String, JobEvent> events;
    private TestInputTopic<String, JobLogChunk> logs;
    private KeyValueStore<String, String> history;

    @BeforeEach
    void startDriver() {
        driver = ProjectionDriver.start(stateDir, "history-test", T0);
        commands = driver.commands();
        events = driver.events();
        logs = driver.logs();
        history = driver.store(JobHistoryWriter.HISTORY_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void everyCommandAndEventOfEveryAttemptInTheOrderApplied() {
        command(JobSubmitted.newBuilder().setJobId(ID).setOwner("alice").setWorkflow("wordcount")
                .setParameters(Map.of("text", "to be")).setSubmittedAt(T0).setRequestId("req-1").build(), 0);
        command(JobSubmitted.newBuilder().setJobId(OTHER).setOwner("carol").setWorkflow("mock")
                .setParameters(Map.of()).setSubmittedAt(T0).setRequestId("req-9").build(), 0);
        event(JobStarted.newBuilder().setJobId(ID).setAttempt(1).setStartedAt(T0.plusSeconds(1)).setWorker("vm-1").build(), 1);
        logs.pipeInput(ID, JobLogChunk.newBuilder().setJobId(ID).setAttempt(1).setFirstLine(1).setLines(List.of("x"))
                .setAt(T0.plusSeconds(1)).build(), T0.plusSeconds(1)); // lines are not history
        event(JobProgress.newBuilder().setJobId(ID).setAttempt(1).setProgress(new Progress(1, 4)).setAt(T0.plusSeconds(2)).build(), 2);
        event(JobHeartbeat.newBuilder().setJobId(ID).setAttempt(1).setWorker("vm-1").setAt(T0.plusSeconds(3)).build(), 3);
        event(JobFailed.newBuilder().setJobId(ID).setAttempt(1).setStartedAt(T0.plusSeconds(1)).setFinishedAt(T0.plusSeconds(4))
                .setFailure(Failure.newBuilder().setKind(FailureKind.WORKER_LOST).setReason("no heartbeat").setExitCode(null).build())
                .build(), 4);
        command(JobRetryRequested.newBuilder().setJobId(ID).setAttempt(2).setOwner("alice").setWorkflow("wordcount")
                .setParameters(Map.of("text", "to be")).setRequestedBy("jobline").setRequestedAt(T0.plusSeconds(5))
                .setRequestId("auto-2").setAutomatic(true).setReason("WORKER_LOST").build(), 5);
        event(JobStarted.newBuilder().setJobId(ID).setAttempt(2).setStartedAt(T0.plusSeconds(6)).setWorker("vm-2").build(), 6);
        event(JobStarted.newBuilder().setJobId(ID).setAttempt(2).setStartedAt(T0.plusSeconds(6)).setWorker("vm-2").build(), 6);
        command(JobCancelRequested.newBuilder().setJobId(ID).setRequestedBy("bob").setRequestedAt(T0.plusSeconds(7))
                .setRequestId("req-2").build(), 7);
        event(JobCancelled.newBuilder().setJobId(ID).setAttempt(2).setStartedAt(T0.plusSeconds(6))
                .setCancelledAt(T0.plusSeconds(8)).setRequestedBy("bob").setLogTail(List.of("bye")).build(), 8);

        List<JsonNode> entries = JobHistoryReader.read(history, ID, 0, 100).entries().stream()
                .map(HistoryEntries::parse).toList();
        assertThat(entries).extracting(e -> e.get("type").asString()).containsExactly("JobSubmitted", "JobStarted",
                "JobProgress", "JobHeartbeat", "JobFailed", "JobRetryRequested", "JobStarted", "JobStarted",
                "JobCancelRequested", "JobCancelled"); // the duplicate start too: it is what arrived
        assertThat(entries).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(entries).extracting(e -> e.get("by").isNull() ? null : e.get("by").asString())
                .containsExactly("alice", "vm-1", null, "vm-1", null, "jobline", "vm-2", "vm-2", "bob", "bob");
        assertThat(entries).extracting(e -> e.get("attempt").isNull() ? null : e.get("attempt").asInt())
                .containsExactly(null, 1, 1, 1, 1, 2, 2, 2, null, 2);
        assertThat(entries).extracting(e -> e.get("at").asString()).containsExactly(T0.toString(),
                "2026-11-29T08:00:01Z", "2026-11-29T08:00:02Z", "2026-11-29T08:00:03Z", "2026-11-29T08:00:04Z",
                "2026-11-29T08:00:05Z", "2026-11-29T08:00:06Z", "2026-11-29T08:00:06Z", "2026-11-29T08:00:07Z",
                "2026-11-29T08:00:08Z");

        JsonNode submitted = entries.get(0);
        assertThat(submitted.get("topic").asString()).isEqualTo("jobline.commands");
        assertThat(submitted.get("partition").asInt()).isZero();
        assertThat(submitted.get("offset").asLong()).isZero();
        assertThat(submitted.get("timestamp").asString()).isEqualTo("2026-11-29T08:00:00Z");
        assertThat(submitted.get("record").toString()).isEqualTo("{\"jobId\":\"" + ID + "\",\"owner\":\"alice\","
                + "\"workflow\":\"wordcount\",\"parameters\":{\"text\":\"to be\"},\"submittedAt\":\"2026-11-29T08:00:00Z\","
                + "\"requestId\":\"req-1\",\"idempotencyKey\":null,\"requestFingerprint\":null}");
        JsonNode started = entries.get(1);
        assertThat(started.get("topic").asString()).isEqualTo("jobline.events");
        assertThat(started.get("offset").asLong()).isZero();
        assertThat(entries.get(2).get("record").get("progress").toString()).isEqualTo("{\"done\":1,\"total\":4}");
        assertThat(entries.get(4).get("record").get("failure").toString()).isEqualTo(
                "{\"kind\":\"WORKER_LOST\",\"reason\":\"no heartbeat\",\"exitCode\":null,\"logTail\":[]}");
        assertThat(entries.get(5).get("record").get("automatic").asBoolean()).isTrue();
        assertThat(entries.get(5).get("offset").asLong()).isEqualTo(2); // the third record of jobline.commands
        assertThat(entries.get(9).get("record").get("logTail").toString()).isEqualTo("[\"bye\"]");

        // pages: after a seq, at most limit, and whether more follow
        JobHistoryReader.Page page = JobHistoryReader.read(history, ID, 3, 4);
        assertThat(page.entries()).extracting(e -> HistoryEntries.parse(e).get("seq").asLong()).containsExactly(4L, 5L, 6L, 7L);
        assertThat(page.hasMore()).isTrue();
        assertThat(JobHistoryReader.read(history, ID, 6, 4).hasMore()).isFalse();
        assertThat(JobHistoryReader.read(history, ID, 10, 4).entries()).isEmpty();

        // the other job's history is its own
        assertThat(JobHistoryReader.read(history, OTHER, 0, 100).entries()).hasSize(1);
    }

    private void command(Object payload, int second) {
        String id = payload instanceof JobSubmitted s ? s.getJobId() : ID;
        commands.pipeInput(id, JobCommand.newBuilder().setJobId(id).setCommand(payload).build(), T0.plusSeconds(second));
    }

    private void event(Object payload, int second) {
        events.pipeInput(ID, JobEvent.newBuilder().setJobId(ID).setEvent(payload).build(), T0.plusSeconds(second));
    }
}
