package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobline.processor.pipeline.OrphanReaper.Finding;
import io.jobline.processor.pipeline.OrphanReaper.Verdict;

/**
 * What a scan makes of the markers in a work root. The groups here are {@code setsid sleep} stand-ins for Snakemake
 * runs ({@link OrphanReaperIT} orphans a real one).
 */
class OrphanReaperTest {

    private static final ProcessIdentity ME = ProcessIdentity.current();
    /** A processor that is gone: this JVM's pid, as if a later process had got it. */
    private static final ProcessIdentity DEAD = new ProcessIdentity(ME.host(), ME.pid(), ME.start(), ME.startTicks() + 1);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path workRoot;

    @TempDir
    Path elsewhere;

    private final List<Process> started = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger reaperLog = (Logger) LoggerFactory.getLogger(OrphanReaper.class);

    @BeforeEach
    void listen() {
        logged.start();
        reaperLog.addAppender(logged);
    }

    @AfterEach
    void endWhatWasStarted() {
        reaperLog.detachAppender(logged);
        for (Process process : started) {
            ProcessGroup group = new ProcessGroup(process.pid());
            if (group.exists()) {
                group.signal("KILL");
            }
            process.destroyForcibly();
        }
    }

    private OrphanReaper reaper(Duration stopGrace) {
        return new OrphanReaper(workRoot, Duration.ofMinutes(1), stopGrace, OrphanReaper.MAX_JOB_FOLDERS_PER_SCAN);
    }

    private static Path attempt(Path root, String job, int attempt) throws IOException {
        return Files.createDirectories(root.resolve(job).resolve("attempt-" + attempt));
    }

    private static Path mark(Path workingDir, long processGroup, ProcessIdentity processor) throws IOException {
        new RunMarker(processGroup, processor).writeIn(workingDir);
        return workingDir.resolve(RunMarker.FILE);
    }

    /** A process group of its own, working in {@code dir}, that runs {@code sleep 600} once it is ready. */
    private long group(Path dir, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of("setsid", "--wait"));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        started.add(process);
        await().atMost(PATIENCE).until(() -> ProcessTable.inGroup(process.pid()).stream()
                .anyMatch(member -> member.commandLine().equals("sleep 600") && !member.state().equals("Z")));
        return process.pid();
    }

    private static long endedPid() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return ended.pid();
    }

    private static void assertGone(long processGroup) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ProcessTable.inGroup(processGroup))
                .allSatisfy(member -> assertThat(member.state()).isEqualTo("Z")));
    }

    private List<String> warnings() {
        return logged.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aMissingWorkRootIsNothingToDo() throws Exception {
        OrphanReaper reaper = new OrphanReaper(workRoot.resolve("not-yet"), Duration.ofMinutes(1), Duration.ZERO, 10);

        assertThat(reaper.scan().findings()).isEmpty();
    }

    @Test
    void leavesTheRunsOfLiveProcessorsAndOfOtherHostsAlone() throws Exception {
        long processGroup = group(attempt(workRoot, "job-a", 1), "sleep", "600");
        Path mine = mark(workRoot.resolve("job-a/attempt-1"), processGroup, ME);
        Path remote = mark(attempt(workRoot, "job-b", 2), processGroup,
                new ProcessIdentity("another-" + ME.host(), DEAD.pid(), DEAD.start(), DEAD.startTicks()));

        List<Finding> findings = reaper(Duration.ZERO).scan().findings();

        assertThat(findings).containsExactly(
                new Finding("job-b", 2, processGroup, Verdict.OTHER_HOST),
                new Finding("job-a", 1, processGroup, Verdict.LIVE));
        assertThat(new ProcessGroup(processGroup).exists()).isTrue();
        assertThat(mine).exists();
        assertThat(remote).exists();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void endsTheGroupOfADeadProcessorWithSigtermAndRemovesItsMarker() throws Exception {
        Path workingDir = attempt(workRoot, "job-a", 2);
        long processGroup = group(workingDir, "sleep", "600");
        Path marker = mark(workingDir, processGroup, DEAD);

        List<Finding> findings = reaper(Duration.ofSeconds(30)).scan().findings();

        assertThat(findings).containsExactly(new Finding("job-a", 2, processGroup, Verdict.ENDED));
        assertGone(processGroup);
        assertThat(marker).doesNotExist();
        assertThat(warnings()).singleElement().asString().startsWith("Job job-a attempt 2: Snakemake process group "
                + processGroup + " is still running, but the processor that started it (pid " + ME.pid());
    }

    @Test
    void killsAGroupThatIgnoresSigtermAfterTheStopGrace() throws Exception {
        Path workingDir = attempt(workRoot, "job-a", 1);
        long processGroup = group(workingDir, "sh", "-c", "trap '' TERM; sleep 600; true");
        mark(workingDir, processGroup, DEAD);

        List<Finding> findings = reaper(Duration.ofMillis(200)).scan().findings();

        assertThat(findings).containsExactly(new Finding("job-a", 1, processGroup, Verdict.ENDED));
        assertGone(processGroup);
        assertThat(warnings()).last().asString().isEqualTo("Job job-a attempt 1: process group " + processGroup
                + " is left after the stop grace: SIGKILL");
    }

    @Test
    void removesTheMarkerOfAnOrphanWhoseGroupHasEndedAlready() throws Exception {
        long endedGroup = endedPid();
        Path marker = mark(attempt(workRoot, "job-a", 1), endedGroup, DEAD);

        assertThat(reaper(Duration.ZERO).scan().findings())
                .containsExactly(new Finding("job-a", 1, endedGroup, Verdict.ALREADY_ENDED));
        assertThat(marker).doesNotExist();
    }

    @Test
    void neverSignalsAGroupWhoseProcessesWorkOutsideTheRunsFolder() throws Exception {
        long unrelated = group(elsewhere, "sleep", "600");
        Path marker = mark(attempt(workRoot, "job-a", 1), unrelated, DEAD);

        assertThat(reaper(Duration.ZERO).scan().findings())
                .containsExactly(new Finding("job-a", 1, unrelated, Verdict.NOT_THE_RUN));
        assertThat(new ProcessGroup(unrelated).exists()).isTrue();
        assertThat(marker).doesNotExist();
    }

    @Test
    void doesNotFollowSymbolicLinksOutOfTheWorkRoot() throws Exception {
        Path outside = attempt(elsewhere, "job-x", 1);
        long processGroup = group(outside, "sleep", "600");
        Path outsideMarker = mark(outside, processGroup, DEAD);
        Files.createSymbolicLink(workRoot.resolve("job-link"), elsewhere.resolve("job-x"));
        Files.createDirectories(workRoot.resolve("job-y"));
        Files.createSymbolicLink(workRoot.resolve("job-y/attempt-1"), outside);
        Files.createSymbolicLink(attempt(workRoot, "job-z", 1).resolve(RunMarker.FILE), outsideMarker);

        assertThat(reaper(Duration.ZERO).scan().findings())
                .containsExactly(new Finding("job-z", 1, null, Verdict.INVALID));
        assertThat(new ProcessGroup(processGroup).exists()).isTrue();
        assertThat(outsideMarker).exists();
    }

    @Test
    void leavesWhatIsNotAMarkerAloneAndSaysSoOnce() throws Exception {
        Path marker = attempt(workRoot, "job-a", 1).resolve(RunMarker.FILE);
        Files.writeString(marker, "process-group=one\n");
        OrphanReaper reaper = reaper(Duration.ZERO);

        assertThat(reaper.scan().findings()).containsExactly(new Finding("job-a", 1, null, Verdict.INVALID));
        assertThat(reaper.scan().findings()).containsExactly(new Finding("job-a", 1, null, Verdict.INVALID));
        assertThat(marker).hasContent("process-group=one\n");
        assertThat(warnings()).singleElement().asString().endsWith("which is not a run marker: "
                + "processor-host is missing");
    }

    @Test
    void looksOnlyAtAttemptFolders() throws Exception {
        for (String name : List.of("attempt-0", "attempt-01", "attempt-x", "results", "attempt-")) {
            mark(Files.createDirectories(workRoot.resolve("job-a").resolve(name)), 41234, DEAD);
        }
        Files.writeString(workRoot.resolve("job-a/attempt-3"), "a file");
        Files.writeString(workRoot.resolve("not-a-job"), "a file");

        assertThat(reaper(Duration.ZERO).scan().findings()).isEmpty();
    }

    @Test
    void aScanLooksAtABatchOfJobFoldersNewestFirstAndTheNextOneGoesOnBelow() throws Exception {
        for (int job = 1; job <= 5; job++) {
            mark(attempt(workRoot, "job-" + job, 1), 41234, ME);
            mark(attempt(workRoot, "job-" + job, 2), 41234, ME);
        }
        OrphanReaper reaper = new OrphanReaper(workRoot, Duration.ofMinutes(1), Duration.ZERO, 2);

        assertThat(scannedJobs(reaper)).containsExactly("job-5/1", "job-5/2", "job-4/1", "job-4/2");
        assertThat(scannedJobs(reaper)).containsExactly("job-3/1", "job-3/2", "job-2/1", "job-2/2");
        assertThat(scannedJobs(reaper)).containsExactly("job-1/1", "job-1/2");
        assertThat(scannedJobs(reaper)).containsExactly("job-5/1", "job-5/2", "job-4/1", "job-4/2");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SnakemakeProperties.class)
    @Import(OrphanReaper.class)
    static class Reaper {
    }

    @Test
    void startsWithTheApplicationAndScansAtOnce() throws Exception {
        Path marker = mark(attempt(workRoot, "job-a", 1), endedPid(), DEAD);

        new ApplicationContextRunner().withUserConfiguration(Reaper.class)
                .withPropertyValues("jobline.snakemake.work-root=" + workRoot, "jobline.snakemake.reap-interval=1h")
                .run(context -> {
                    assertThat(context.getBean(OrphanReaper.class).isRunning()).isTrue();
                    await().atMost(PATIENCE).untilAsserted(() -> assertThat(marker).doesNotExist());
                });
    }

    private static List<String> scannedJobs(OrphanReaper reaper) throws IOException {
        return reaper.scan().findings().stream()
                .peek(finding -> assertThat(finding.verdict()).isEqualTo(Verdict.LIVE))
                .map(finding -> finding.jobId() + "/" + finding.attempt()).toList();
    }
}
