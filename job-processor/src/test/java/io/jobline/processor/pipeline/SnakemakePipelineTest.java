package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preparing runs: nothing is started here. */
class SnakemakePipelineTest {

    private static final Path WORKFLOWS = Path.of("..", "workflows");

    @TempDir
    Path workRoot;

    @TempDir
    Path bin;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private SnakemakeProperties settings(String executable) {
        return new SnakemakeProperties(WORKFLOWS, workRoot, executable, 2, Duration.ofSeconds(10), Duration.ofMinutes(1), 20,
                Duration.ofHours(1), Map.of("steps", Duration.ofMinutes(5)), SnakemakeProperties.Parameters.defaults());
    }

    private SnakemakePipeline pipeline(String workflow, SnakemakeProperties settings) {
        WorkflowCatalog.Workflow found = WorkflowCatalog.scan(settings.workflowsDir()).stream()
                .filter(candidate -> candidate.name().equals(workflow)).findFirst().orElseThrow();
        return new SnakemakePipeline(found, settings, scheduler);
    }

    /** An executable that stands in for Snakemake: prepare only looks it up. */
    private Path fakeSnakemake() throws IOException {
        Path fake = bin.resolve("snakemake");
        Files.writeString(fake, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        return fake;
    }

    @Test
    void plansACommandLineWithoutShellWhoseConfigFilesComeLast() throws Exception {
        Path snakemake = fakeSnakemake();
        SnakemakeRun run = pipeline("wordcount", settings(snakemake.toString()))
                .prepare(new JobSpec("0193-abc", 2, "alice", "wordcount", Map.of("files", "5")));

        Path workflow = WORKFLOWS.toAbsolutePath().normalize().resolve("wordcount");
        Path workingDir = workRoot.toAbsolutePath().resolve("0193-abc").resolve("attempt-2");
        assertThat(run.workingDir()).isEqualTo(workingDir);
        assertThat(run.command()).containsExactly(
                "setsid", "--wait", "env", "--default-signal=INT,TERM,HUP,QUIT", snakemake.toString(),
                "--snakefile", workflow.resolve("Snakefile").toString(),
                "--directory", workingDir.toString(),
                "--cores", "2",
                "--nocolor",
                "--configfile", workflow.resolve("config.yaml").toString(),
                workingDir.resolve(".jobline-parameters.json").toString());
        assertThat(run.command()).doesNotContain("5", "files=5").noneMatch(argument -> argument.contains("files"));
        assertThat(workingDir).doesNotExist();
    }

    @Test
    void aMissingExecutableCannotStart() {
        SnakemakePipeline pipeline = pipeline("wordcount", settings("snakemake-that-is-not-installed"));
        assertThatThrownBy(() -> pipeline.prepare(new JobSpec("j", 1, "alice", "wordcount", Map.of())))
                .isInstanceOf(CannotStartException.class)
                .hasMessage("Snakemake is not installed on this worker: 'snakemake-that-is-not-installed' was not "
                        + "found on the PATH (jobline.snakemake.executable)");
        SnakemakePipeline byPath = pipeline("wordcount", settings(bin.resolve("nothing-here").toString()));
        assertThatThrownBy(() -> byPath.prepare(new JobSpec("j", 1, "alice", "wordcount", Map.of())))
                .isInstanceOf(CannotStartException.class)
                .hasMessageContaining("was not found");
    }

    @Test
    void parametersAreCheckedBeforeAnythingElse() {
        SnakemakePipeline pipeline = pipeline("wordcount", settings("snakemake-that-is-not-installed"));
        assertThatThrownBy(() -> pipeline.prepare(new JobSpec("j", 1, "alice", "wordcount",
                Map.of("files", "3", "title", "$(reboot)"))))
                .isInstanceOf(CannotStartException.class)
                .hasMessageStartingWith("parameter 'title' has a value with characters that are not allowed");
    }

    @Test
    void aJobIdThatCouldLeaveTheWorkRootCannotStart() throws Exception {
        SnakemakePipeline pipeline = pipeline("wordcount", settings(fakeSnakemake().toString()));
        for (String jobId : new String[] {"..", ".", "a/b", "../x", "", "x".repeat(129)}) {
            assertThatThrownBy(() -> pipeline.prepare(new JobSpec(jobId, 1, "alice", "wordcount", Map.of())))
                    .isInstanceOf(CannotStartException.class)
                    .hasMessageStartingWith("the job id cannot name a working directory");
        }
    }

    @Test
    void namesItsWorkflowAndItsMaximumRunTime() {
        assertThat(pipeline("steps", settings("snakemake")).workflow()).isEqualTo("steps");
        assertThat(pipeline("steps", settings("snakemake")).maxRunTime()).contains(Duration.ofMinutes(5));
        assertThat(pipeline("wordcount", settings("snakemake")).maxRunTime()).contains(Duration.ofHours(1));
    }

    @Test
    void startWritesTheParametersAsJsonIntoAFreshWorkingDirectory() throws Exception {
        // a fake Snakemake that exits at once: only the working directory is looked at
        SnakemakeRun run = pipeline("wordcount", settings(fakeSnakemake().toString()))
                .prepare(new JobSpec("job-9", 1, "alice", "wordcount", Map.of("words", "7", "files", "2")));
        Files.createDirectories(run.workingDir().resolve("results"));
        Files.writeString(run.workingDir().resolve("results/stale.txt"), "from an earlier start");

        Outcome outcome = run.start(RunListener.IGNORE).outcome().get(60, TimeUnit.SECONDS);

        assertThat(run.workingDir().resolve(SnakemakePipeline.PARAMETERS_FILE))
                .hasContent("{\"files\":\"2\",\"words\":\"7\"}");
        assertThat(outcome).isEqualTo(new Outcome.Succeeded(List.of()));
    }
}
