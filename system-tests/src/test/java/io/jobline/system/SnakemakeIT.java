package io.jobline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * Real Snakemake runs of the example workflows through the whole system: submit over HTTP, follow the job, read its
 * progress, logs and outputs, cancel it, let it time out. The workflows are the repository's own, copied to a scratch
 * folder together with {@code steps-limited}, a copy of {@code steps} that may run 3 s.
 */
@EmbeddedKafka(count = 1)
@ExtendWith(SnakemakeOnPath.class)
class SnakemakeIT {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

    private static JoblineCluster cluster;
    private static JoblineClient client;
    private static Path workRoot;

    @BeforeAll
    static void startJobline(EmbeddedKafkaBroker broker) throws Exception {
        Path workflows = Files.createTempDirectory("jobline-workflows");
        Path repositoryWorkflows = Path.of("").toAbsolutePath().getParent().resolve("workflows");
        copy(repositoryWorkflows.resolve("wordcount"), workflows.resolve("wordcount"));
        copy(repositoryWorkflows.resolve("steps"), workflows.resolve("steps"));
        copy(repositoryWorkflows.resolve("steps"), workflows.resolve("steps-limited"));
        workRoot = Files.createTempDirectory("jobline-runs");
        cluster = JoblineCluster.start(broker.getBrokersAsString(),
                "--jobline.api.workflows-dir=" + workflows,
                "--jobline.snakemake.workflows-dir=" + workflows,
                "--jobline.snakemake.work-root=" + workRoot,
                "--jobline.snakemake.stop-grace=3s",
                "--jobline.snakemake.max-run-time-per-workflow.steps-limited=3s",
                "--jobline.processor.report-interval=200ms",
                "--jobline.supervisor.max-attempts=1");
        client = cluster.client(TestCallers.ALICE);
    }

    @AfterAll
    static void stopJobline() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void wordcountCompletesWithItsOutputsProgressAndLogs() throws IOException {
        long begin = System.nanoTime();
        String id = submit("wordcount", Map.of("files", "3", "words", "10"));
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> !status(id).equals("PENDING"));
        long running = System.nanoTime();
        JsonNode job = awaitStatus(id, "COMPLETED");
        long completed = System.nanoTime();
        System.out.printf("wordcount: POST to RUNNING %d ms, POST to COMPLETED %d ms%n",
                (running - begin) / 1_000_000, (completed - begin) / 1_000_000);

        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("progress").get("done").asInt()).isEqualTo(job.get("progress").get("total").asInt())
                .isPositive();
        JsonNode outputs = job.get("outputs");
        assertThat(outputs).anySatisfy(output -> {
            assertThat(output.get("path").asString()).isEqualTo("results/counts.txt");
            assertThat(output.get("sizeBytes").asLong()).isPositive();
        });
        String counts = Files.readString(workRoot.resolve(id).resolve("attempt-1").resolve("results/counts.txt"));
        // text i holds i * words words
        assertThat(counts).contains("10").contains("20").contains("30").contains("60");

        JsonNode logs = client.get("/jobs/" + id + "/logs").body();
        assertThat(logs.get("attempt").asInt()).isEqualTo(1);
        assertThat(logs.get("lines").toString()).contains("steps (100%) done");
        JsonNode tail = client.get("/jobs/" + id + "/logs?tail=2").body();
        assertThat(tail.get("lines")).hasSize(2);
    }

    @Test
    void aFailingStepFailsTheJobWithItsExitCodeAndLogTail() {
        String id = submit("steps", Map.of("steps", "3", "fail_at", "2"));

        JsonNode failure = awaitStatus(id, "FAILED").get("failure");

        assertThat(failure.get("kind").asString()).isEqualTo("PIPELINE");
        assertThat(failure.get("exitCode").asInt()).isEqualTo(1);
        assertThat(failure.get("reason").asString()).contains("step");
        assertThat(failure.get("logTail").toString()).contains("Error in rule step");
    }

    @Test
    void aCancelledRunLeavesNoProcessBehind() {
        String id = submit("steps", Map.of("steps", "3", "step_seconds", "60"));
        awaitStatus(id, "RUNNING");
        await().atMost(JOB_TIMEOUT).until(() -> JobProcesses.of(id).stream().anyMatch(p -> p.contains("sleep")));

        long begin = System.nanoTime();
        var cancel = client.post("/jobs/" + id + "/cancel");
        assertThat(cancel.status()).as(cancel.raw().body()).isEqualTo(202);
        JsonNode job = awaitStatus(id, "CANCELLED");
        System.out.printf("cancel of a running Snakemake job: POST to CANCELLED %d ms%n",
                (System.nanoTime() - begin) / 1_000_000);

        assertThat(job.get("cancelRequestedBy").isNull()).isFalse();
        assertThat(JobProcesses.of(id)).isEmpty();
        assertThat(client.post("/jobs/" + id + "/cancel").status()).isEqualTo(409);
    }

    @Test
    void aRunLongerThanItsWorkflowAllowsTimesOutAndIsKilled() {
        String id = submit("steps-limited", Map.of("steps", "2", "step_seconds", "60"));

        JsonNode failure = awaitStatus(id, "FAILED").get("failure");

        assertThat(failure.get("kind").asString()).isEqualTo("TIMEOUT");
        assertThat(failure.get("reason").asString()).contains("PT3S");
        assertThat(JobProcesses.of(id)).isEmpty();
    }

    @Test
    void shellMetacharactersPathsAndNewlinesAreRefusedBeforeAnythingRuns() throws IOException {
        Path marker = Files.createTempDirectory("jobline-marker").resolve("pwned");
        List<String> hostile = List.of("; touch " + marker, "$(touch " + marker + ")", "`touch " + marker + "`",
                "x\ntouch " + marker, "../../etc/passwd", "/etc/passwd", "'; touch " + marker + "; '");
        for (String value : hostile) {
            var response = client.submit("wordcount", Map.of("title", value));
            assertThat(response.status()).as(value).isEqualTo(400);
            assertThat(response.raw().body()).as(value).contains("parameters.title");
        }
        assertThat(marker).doesNotExist();
    }

    private static String submit(String workflow, Map<String, String> parameters) {
        var response = client.submit(workflow, parameters);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
        return response.body().get("id").asString();
    }

    private static String status(String id) {
        var response = client.get("/jobs/" + id);
        return response.status() == 200 ? response.body().get("status").asString() : "HTTP " + response.status();
    }

    private static JsonNode awaitStatus(String id, String status) {
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> status(id).equals(status));
        return client.get("/jobs/" + id).body();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
