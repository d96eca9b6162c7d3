package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobline.processor.pipeline.OrphanReaper.Finding;
import io.jobline.processor.pipeline.OrphanReaper.Verdict;

/**
 * A real Snakemake run orphaned by a processor JVM killed outright: it keeps running, until the reaper ends it. A run
 * of this live JVM in the same work root is left alone.
 */
@ExtendWith(RequiresSnakemake.class)
class OrphanReaperIT {

    private static final Path WORKFLOWS = Path.of("..", "workflows");
    /** A safety net against a hung run, not a performance bound. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path workRoot;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger reaperLog = (Logger) LoggerFactory.getLogger(OrphanReaper.class);
    private Process processor;
    private SnakemakeProcess ownRun;
    private Path orphanDir;
    private long orphanGroup;

    @AfterEach
    void leaveNothingBehind() throws Exception {
        reaperLog.detachAppender(logged);
        if (processor != null) {
            processor.destroyForcibly();
        }
        if (orphanGroup > 1) {
            ProcessGroup group = new ProcessGroup(orphanGroup);
            if (group.exists() && group.hasMemberWorkingIn(orphanDir)) {
                group.signal("KILL");
            }
        }
        if (ownRun != null) {
            ownRun.stop();
            ownRun.outcome().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        scheduler.shutdownNow();
    }

    private SnakemakeProperties settings() {
        return new SnakemakeProperties(WORKFLOWS, workRoot, "snakemake", 1, Duration.ofSeconds(10),
                Duration.ofMinutes(1), 20, Duration.ofHours(1), Map.of(), SnakemakeProperties.Parameters.defaults());
    }

    private static boolean sleeping(long processGroup) {
        return ProcessTable.inGroup(processGroup).stream()
                .anyMatch(process -> process.commandLine().equals("sleep 600") && !process.state().equals("Z"));
    }

    @Test
    void theRunOfAKilledProcessorKeepsRunningUntilTheReaperEndsIt() throws Exception {
        processor = OrphaningProcessorMain.launch(WORKFLOWS, workRoot, "orphan-job",
                Path.of("target", "orphaning-processor.log"));
        orphanDir = workRoot.toRealPath().resolve("orphan-job").resolve("attempt-1");
        Path marker = orphanDir.resolve(RunMarker.FILE);
        RunMarker written = await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> RunMarker.readFrom(marker).orElseThrow(), found -> sleeping(found.processGroup()));
        orphanGroup = written.processGroup();
        assertThat(written.processor().pid()).isEqualTo(processor.pid());
        assertThat(written.processor().start()).isEqualTo(processor.info().startInstant().orElseThrow());

        SnakemakeRun own = new SnakemakePipeline(WorkflowCatalog.scan(WORKFLOWS).stream()
                .filter(workflow -> workflow.name().equals("steps")).findFirst().orElseThrow(), settings(), scheduler)
                .prepare(new JobSpec("own-job", 1, "test", "steps", Map.of("steps", "1", "step_seconds", "600")));
        ownRun = own.start(RunListener.IGNORE);
        await().atMost(PATIENCE).until(() -> sleeping(ownRun.processGroupId()));

        processor.destroyForcibly();
        assertThat(processor.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // the problem: the processor is gone, its run is not
        assertThat(ProcessHandle.of(written.processor().pid())).isEmpty();
        assertThat(sleeping(orphanGroup)).isTrue();
        assertThat(new ProcessGroup(orphanGroup).exists()).isTrue();

        logged.start();
        reaperLog.addAppender(logged);
        long begin = System.nanoTime();
        OrphanReaper.Scan scan = new OrphanReaper(settings()).scan();
        System.out.printf("orphan reaper: scan that ended a real Snakemake group took %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));

        assertThat(scan.findings()).containsExactly(
                new Finding("own-job", 1, ownRun.processGroupId(), Verdict.LIVE),
                new Finding("orphan-job", 1, orphanGroup, Verdict.ENDED));
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(ProcessTable.inGroup(orphanGroup)).isEmpty();
            assertThat(ProcessTable.groupSignalable(orphanGroup)).isFalse();
        });
        assertThat(ProcessTable.mentioning(orphanDir.toString())).isEmpty();
        assertThat(marker).doesNotExist();
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).startsWith("Job orphan-job attempt 1: Snakemake process group "
                        + orphanGroup + " is still running, but the processor that started it (pid " + processor.pid()));

        // this JVM's run goes on, and ends as usual
        assertThat(sleeping(ownRun.processGroupId())).isTrue();
        assertThat(own.workingDir().resolve(RunMarker.FILE)).exists();
        ownRun.stop();
        assertThat(ownRun.outcome().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Outcome.Stopped.class);
        assertThat(own.workingDir().resolve(RunMarker.FILE)).doesNotExist();
    }
}
