package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.jobline.processor.pipeline.RunMarker.ProcessorState;

/** The run marker: what it says, how it is read, and whose processor counts as alive. */
class RunMarkerTest {

    private static final String HOST = ProcessIdentity.thisHost();
    private static final ProcessIdentity ME = ProcessIdentity.current();
    private static final LongFunction<Optional<ProcessIdentity>> LIVE = ProcessIdentity::live;
    private static final Instant START = Instant.parse("2025-06-01T10:00:00.120Z");

    @TempDir
    Path workingDir;

    private Process started;

    @AfterEach
    void endWhatWasStarted() {
        if (started != null) {
            started.destroyForcibly();
        }
    }

    @Test
    void readsWhatItWrites() {
        RunMarker marker = new RunMarker(41234, new ProcessIdentity("worker-7", 40017, START, 1234567L));

        assertThat(marker.text()).contains("\nprocess-group=41234\n", "\nprocessor-host=worker-7\n",
                "\nprocessor-pid=40017\n", "\nprocessor-start=2025-06-01T10:00:00.120Z\n",
                "\nprocessor-start-ticks=1234567\n");
        assertThat(RunMarker.parse(marker.text())).isEqualTo(marker);
    }

    @Test
    void leavesOutAStartItDoesNotKnow() {
        RunMarker marker = new RunMarker(41234, new ProcessIdentity("worker-7", 40017, null, null));

        assertThat(marker.text()).doesNotContain("processor-start");
        assertThat(RunMarker.parse(marker.text())).isEqualTo(marker);
    }

    @Test
    void skipsCommentsBlankLinesUnknownKeysAndCarriageReturns() {
        RunMarker parsed = RunMarker.parse("# a comment\r\n\r\nprocess-group = 41234\r\nprocessor-host=worker-7\r\n"
                + "processor-pid=40017\r\nwritten-by=a later version\r\n");

        assertThat(parsed).isEqualTo(new RunMarker(41234, new ProcessIdentity("worker-7", 40017, null, null)));
    }

    static Stream<Arguments> notMarkers() {
        String valid = "process-group=9\nprocessor-host=w\nprocessor-pid=7\n";
        return Stream.of(
                Arguments.of("processor-host=w\nprocessor-pid=7", "process-group is missing"),
                Arguments.of("process-group=9\nprocessor-pid=7", "processor-host is missing"),
                Arguments.of("process-group=9\nprocessor-host=w", "processor-pid is missing"),
                Arguments.of("process-group=1\nprocessor-host=w\nprocessor-pid=7", "not a process group: 1"),
                Arguments.of("process-group=-9\nprocessor-host=w\nprocessor-pid=7", "not a process group: -9"),
                Arguments.of("process-group=x\nprocessor-host=w\nprocessor-pid=7",
                        "process-group is not a whole number: 'x'"),
                Arguments.of("process-group=9\nprocessor-host=w\nprocessor-pid=0", "not a pid: 0"),
                Arguments.of(valid + "process-group=8", "process-group is given twice"),
                Arguments.of(valid + "processor-start=yesterday", "processor-start is not an instant: 'yesterday'"),
                Arguments.of(valid + "processor-start-ticks=-1", "start ticks must not be negative: -1"),
                Arguments.of("{\"process-group\": 9}", "not a key=value line: '{\"process-group\": 9}'"),
                Arguments.of("", "processor-host is missing"));
    }

    @ParameterizedTest
    @MethodSource("notMarkers")
    void refusesWhatIsNotAMarker(String text, String reason) {
        assertThatThrownBy(() -> RunMarker.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    @Test
    void isWrittenWholeReadWithoutFollowingLinksAndRemoved() throws Exception {
        RunMarker marker = RunMarker.startedHere(41234);
        marker.writeIn(workingDir);

        Path file = workingDir.resolve(RunMarker.FILE);
        try (var files = Files.list(workingDir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(RunMarker.readFrom(file)).contains(marker);

        Path link = Files.createDirectories(workingDir.resolve("link")).resolve(RunMarker.FILE);
        Files.createSymbolicLink(link, file);
        assertThatThrownBy(() -> RunMarker.readFrom(link)).hasMessage("not a regular file");
        Path huge = Files.createDirectories(workingDir.resolve("huge")).resolve(RunMarker.FILE);
        Files.writeString(huge, marker.text() + "#".repeat(RunMarker.MAX_BYTES));
        assertThatThrownBy(() -> RunMarker.readFrom(huge)).hasMessage("longer than 4096 bytes");

        RunMarker.removeFrom(workingDir);
        assertThat(RunMarker.readFrom(file)).isEmpty();
        RunMarker.removeFrom(workingDir);
    }

    @Test
    void aMarkerOfThisJvmNamesItsLiveProcessor() {
        RunMarker marker = RunMarker.startedHere(41234);

        assertThat(marker.processor().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(marker.processor().start()).isEqualTo(ProcessHandle.current().info().startInstant().orElseThrow());
        assertThat(marker.processor().startTicks()).isNotNull();
        assertThat(marker.processorState(HOST, LIVE)).isEqualTo(ProcessorState.ALIVE);
    }

    @Test
    void aLaterProcessThatGotThePidIsNotTheProcessor() {
        long pid = ME.pid();
        assertThat(markerOf(new ProcessIdentity(HOST, pid, ME.start(), ME.startTicks() + 1)).processorState(HOST, LIVE))
                .as("same pid, another start by the kernel's clock").isEqualTo(ProcessorState.GONE);
        assertThat(markerOf(new ProcessIdentity(HOST, pid, ME.start().minusSeconds(3600), null)).processorState(HOST, LIVE))
                .as("same pid, start ticks not recorded, another start by the wall clock").isEqualTo(ProcessorState.GONE);
        assertThat(markerOf(new ProcessIdentity(HOST, pid, ME.start().minusMillis(500), null)).processorState(HOST, LIVE))
                .as("start ticks not recorded, start within the tolerance").isEqualTo(ProcessorState.ALIVE);
        assertThat(markerOf(new ProcessIdentity(HOST, pid, ME.start().minusSeconds(3600), ME.startTicks()))
                .processorState(HOST, LIVE))
                .as("the kernel's clock wins over a wall clock that was set since").isEqualTo(ProcessorState.ALIVE);
        assertThat(markerOf(new ProcessIdentity(HOST, pid, null, null)).processorState(HOST, LIVE))
                .as("nothing to tell them apart: never taken for an orphan").isEqualTo(ProcessorState.ALIVE);
    }

    @Test
    void aProcessorThatEndedIsGone() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(ProcessIdentity.live(ended.pid())).isEmpty();
        assertThat(markerOf(new ProcessIdentity(HOST, ended.pid(), START, 12L)).processorState(HOST, LIVE))
                .isEqualTo(ProcessorState.GONE);
    }

    @Test
    void aZombieProcessorIsGone() throws Exception {
        // the shell's background child outlives the shell, which becomes sleep: a parent that never collects a child
        started = new ProcessBuilder("sh", "-c", "sleep 0.2 & echo $!; exec sleep 600").start();
        long zombie;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(),
                StandardCharsets.UTF_8))) {
            zombie = Long.parseLong(out.readLine().strip());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ProcessTable.all().stream()
                .anyMatch(process -> process.pid() == zombie && process.state().equals("Z")));

        assertThat(ProcessHandle.of(zombie)).as("the JDK still sees it").isPresent();
        assertThat(ProcessIdentity.live(zombie)).isEmpty();
        assertThat(markerOf(new ProcessIdentity(HOST, zombie, null, null)).processorState(HOST, LIVE))
                .isEqualTo(ProcessorState.GONE);
    }

    @Test
    void aProcessorOfAnotherHostIsNotJudgedHere() {
        RunMarker marker = markerOf(new ProcessIdentity("another-" + HOST, ME.pid(), ME.start(), ME.startTicks()));

        assertThat(marker.processorState(HOST, pid -> {
            throw new AssertionError("looked up pid " + pid + " of another host");
        })).isEqualTo(ProcessorState.ON_ANOTHER_HOST);
    }

    private static RunMarker markerOf(ProcessIdentity processor) {
        return new RunMarker(41234, processor);
    }
}
