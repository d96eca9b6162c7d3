package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.schemas.FailureKind;

/** Real Snakemake runs of the example workflows (and of two test workflows that misbehave). */
@ExtendWith(RequiresSnakemake.class)
class SnakemakePipelineIT {

    private static final Path WORKFLOWS = Path.of("..", "workflows");
    private static final Path TEST_WORKFLOWS = Path.of("src", "test", "resources", "test-workflows");
    /** A safety net against a hung run, not a performance bound. */
    private static final long OUTCOME_TIMEOUT_SECONDS = 120;

    private static ScheduledThreadPoolExecutor scheduler;

    @TempDir
    Path workRoot;

    @TempDir
    Path markers;

    @BeforeAll
    static void startScheduler() {
        scheduler = new ScheduledThreadPoolExecutor(1);
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    private SnakemakePipeline pipeline(Path catalog, String workflow, SnakemakeProperties.Parameters parameters,
            Duration stopGrace) {
        SnakemakeProperties settings = new SnakemakeProperties(catalog, workRoot, "snakemake", 1, stopGrace,
                Duration.ofMinutes(1), 20, Duration.ofHours(1), Map.of(), parameters);
        WorkflowCatalog.Workflow found = WorkflowCatalog.scan(catalog).stream()
                .filter(candidate -> candidate.name().equals(workflow))
                .findFirst().orElseThrow();
        return new SnakemakePipeline(found, settings, scheduler);
    }

    private SnakemakePipeline example(String workflow) {
        return pipeline(WORKFLOWS, workflow, SnakemakeProperties.Parameters.defaults(), Duration.ofSeconds(10));
    }

    private static JobSpec job(String workflow, Map<String, String> parameters) {
        return new JobSpec("job-" + workflow, 1, "alice", workflow, parameters);
    }

    private static Outcome outcomeOf(SnakemakeProcess run) throws Exception {
        return run.outcome().get(OUTCOME_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void wordcountWithItsDefaultsSucceedsWithItsCountsAsTheOnlyOutputAndReportsProgressInOrder() throws Exception {
        RecordingListener listener = new RecordingListener();
        SnakemakeRun prepared = example("wordcount").prepare(job("wordcount", Map.of()));

        long begin = System.nanoTime();
        SnakemakeProcess run = prepared.start(listener);
        Outcome outcome = outcomeOf(run);
        System.out.printf("wordcount with its defaults: %d ms from start() to the outcome%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));

        // config.yaml: files 3, words 100; text i holds i * 100 words
        int files = 3;
        int words = 100;
        StringBuilder expected = new StringBuilder();
        int total = 0;
        for (int i = 1; i <= files; i++) {
            expected.append("text_").append(i).append(".txt ").append(i * words).append('\n');
            total += i * words;
        }
        expected.append("total ").append(total).append('\n');
        Path counts = prepared.workingDir().resolve("results/counts.txt");
        assertThat(Files.readString(counts)).isEqualTo(expected.toString());
        assertThat(outcome).isEqualTo(new Outcome.Succeeded(List.of(
                new OutputFile("results/counts.txt", Files.size(counts)))));

        // each text made and counted, one combine, the target rule "all"
        int steps = files + files + 1 + 1;
        List<RecordingListener.Progress> progress = listener.progress();
        assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p.total()).isEqualTo(steps));
        assertThat(progress).extracting(RecordingListener.Progress::done).isSorted().doesNotHaveDuplicates();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(new RecordingListener.Progress(steps, steps));
        assertThat(listener.lines()).contains("Building DAG of jobs...");
        assertNoProcessLeft(run, prepared);

        run.stop();
        assertThat(run.outcome().join()).isSameAs(outcome);
    }

    @Test
    void aFailingStepFailsTheJobWithExitCodeRuleAndLogTail() throws Exception {
        SnakemakeRun prepared = example("steps").prepare(job("steps", Map.of("steps", "4", "fail_at", "2")));
        SnakemakeProcess run = prepared.start(RunListener.IGNORE);

        Outcome outcome = outcomeOf(run);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(FailureKind.PIPELINE);
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.reason()).isEqualTo("Snakemake exited with code 1: Error in rule step");
            assertThat(failed.logTail()).hasSizeLessThanOrEqualTo(20)
                    .anySatisfy(line -> assertThat(line).contains("step 2 fails because the job asked for it"))
                    .anySatisfy(line -> assertThat(line).contains("Error in rule step"));
        });
        assertThat(prepared.workingDir().resolve("results")).doesNotExist();
        assertNoProcessLeft(run, prepared);
    }

    @Test
    void stopEndsALongRunStoppedWithNoProcessOfItsGroupLeft() throws Exception {
        SnakemakeRun prepared = example("steps").prepare(job("steps", Map.of("steps", "3", "step_seconds", "600")));
        RecordingListener listener = new RecordingListener();
        SnakemakeProcess run = prepared.start(listener);
        long pgid = run.processGroupId();
        await().atMost(Duration.ofSeconds(OUTCOME_TIMEOUT_SECONDS)).until(() -> ProcessTable.inGroup(pgid).stream()
                .anyMatch(process -> process.commandLine().equals("sleep 600")));
        assertThat(ProcessTable.inGroup(pgid)).extracting(ProcessTable.Entry::pid).contains(pgid);
        assertThat(RunMarker.readFrom(prepared.workingDir().resolve(RunMarker.FILE)))
                .contains(RunMarker.startedHere(pgid));

        long begin = System.nanoTime();
        run.stop();
        Outcome outcome = outcomeOf(run);
        System.out.printf("steps: %d ms from stop() to Stopped%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Stopped.class, stopped ->
                assertThat(stopped.logTail()).contains(
                        SnakemakeProcess.JOBLINE_PREFIX + "stop requested: SIGTERM to process group " + pgid));
        assertNoProcessLeft(run, prepared);
        run.stop();
        assertThat(run.outcome().join()).isSameAs(outcome);
    }

    @Test
    void aRunStoppedRightAfterItsStartEndsStoppedToo() throws Exception {
        SnakemakeRun prepared = example("steps").prepare(job("steps", Map.of("step_seconds", "600")));
        SnakemakeProcess run = prepared.start(RunListener.IGNORE);
        run.stop();

        assertThat(outcomeOf(run)).isInstanceOf(Outcome.Stopped.class);
        assertNoProcessLeft(run, prepared);
    }

    @Test
    void aJobThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        SnakemakeRun prepared = pipeline(TEST_WORKFLOWS, "stubborn", SnakemakeProperties.Parameters.defaults(),
                Duration.ofMillis(500)).prepare(job("stubborn", Map.of()));
        SnakemakeProcess run = prepared.start(RunListener.IGNORE);
        await().atMost(Duration.ofSeconds(OUTCOME_TIMEOUT_SECONDS)).until(() -> ProcessTable.inGroup(run.processGroupId())
                .stream().anyMatch(process -> process.commandLine().equals("sleep 600")));

        run.stop();

        assertThat(outcomeOf(run)).isInstanceOfSatisfying(Outcome.Stopped.class, stopped ->
                assertThat(stopped.logTail()).anySatisfy(line -> assertThat(line).startsWith(
                        SnakemakeProcess.JOBLINE_PREFIX + "processes left after the stop grace of 500 ms: SIGKILL")));
        assertNoProcessLeft(run, prepared);
    }

    @Test
    void processesLeftBehindByAFinishedRunAreEndedBeforeItCompletes() throws Exception {
        SnakemakeRun prepared = pipeline(TEST_WORKFLOWS, "leftover", SnakemakeProperties.Parameters.defaults(),
                Duration.ofSeconds(10)).prepare(job("leftover", Map.of()));
        SnakemakeProcess run = prepared.start(RunListener.IGNORE);

        Outcome outcome = outcomeOf(run);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Succeeded.class, succeeded ->
                assertThat(succeeded.outputs()).containsExactly(new OutputFile("results/done.txt", 5)));
        assertNoProcessLeft(run, prepared);
    }

    @Test
    void hostileParametersAreRefusedBeforeAnythingRuns() throws Exception {
        SnakemakePipeline wordcount = example("wordcount");
        for (String value : hostileValues()) {
            assertThatThrownBy(
                    () -> wordcount.prepare(job("wordcount", Map.of("title", value))))
                    .isInstanceOf(CannotStartException.class)
                    .hasMessageStartingWith("parameter 'title' ");
        }
        assertThat(workRoot).isEmptyDirectory();
        assertNoMarker();
    }

    @Test
    void withTheCheckSwitchedOffHostileTextReachesTheShellOnlyAsQuotedText() throws Exception {
        String title = String.join(" ", hostileValues().subList(0, hostileValues().size() - 1));
        SnakemakeRun prepared = pipeline(WORKFLOWS, "wordcount", SnakemakeProperties.Parameters.unchecked(),
                Duration.ofSeconds(10)).prepare(job("wordcount", Map.of("files", "1", "words", "2", "title", title)));

        Outcome outcome = outcomeOf(prepared.start(RunListener.IGNORE));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Succeeded.class, succeeded ->
                assertThat(succeeded.outputs()).extracting(OutputFile::path).containsExactly("results/counts.txt"));
        assertThat(Files.readString(prepared.workingDir().resolve("results/counts.txt")))
                .isEqualTo("# " + title + "\ntext_1.txt 2\ntotal 2\n");
        assertNoMarker();
    }

    @Test
    void withTheCheckSwitchedOffHostileNumbersFailTheRunWithoutRunningAnything() throws Exception {
        String huge = "9".repeat(100_000);
        SnakemakeRun prepared = pipeline(WORKFLOWS, "steps", SnakemakeProperties.Parameters.unchecked(),
                Duration.ofSeconds(10)).prepare(job("steps", Map.of(
                        "steps", "2; touch " + markers.resolve("steps"),
                        "step_seconds", "$(touch " + markers.resolve("seconds") + ")",
                        "fail_at", huge)));

        Outcome outcome = outcomeOf(prepared.start(RunListener.IGNORE));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.reason()).startsWith("Snakemake exited with code 1: ValueError in file ")
                    .contains("parameter steps must be a whole number from 1 to 100");
        });
        assertNoMarker();
    }

    /** Values a shell would act on; each one would create a marker file if it ever ran. The last one is huge. */
    private List<String> hostileValues() {
        String marker = markers.resolve("marker").toString();
        return List.of(
                "x; touch " + marker + "-semicolon",
                "$(touch " + marker + "-dollar)",
                "`touch " + marker + "-backtick`",
                "x\ntouch " + marker + "-newline",
                "x | touch " + marker + "-pipe",
                "x && touch " + marker + "-and > " + marker + "-redirect",
                "'\"\\ {output} %s",
                "../../../" + markers.getFileName() + "/marker-dotdot",
                "x".repeat(4097) + "$(touch " + marker + "-huge)");
    }

    private void assertNoMarker() throws Exception {
        try (Stream<Path> files = Files.list(markers)) {
            assertThat(files).isEmpty();
        }
    }

    /**
     * When the outcome completes, no process of the run's group runs any more, and its marker is gone. A killed process
     * may stay a zombie until its reaper (init) collects it, which this machine's init does every second or two: then
     * none is left.
     */
    private static void assertNoProcessLeft(SnakemakeProcess run, SnakemakeRun prepared) {
        long pgid = run.processGroupId();
        assertThat(prepared.workingDir().resolve(RunMarker.FILE)).doesNotExist();
        assertThat(ProcessTable.inGroup(pgid)).allSatisfy(process -> assertThat(process.state()).isEqualTo("Z"));
        assertThat(ProcessTable.mentioning(prepared.workingDir().toString())).isEmpty();
        await().atMost(Duration.ofSeconds(OUTCOME_TIMEOUT_SECONDS)).untilAsserted(() -> {
            assertThat(ProcessTable.inGroup(pgid)).isEmpty();
            assertThat(ProcessTable.groupSignalable(pgid)).isFalse();
        });
    }
}
