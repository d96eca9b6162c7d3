package io.jobline.processor.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The file {@value #FILE} in the working directory of a running Snakemake run: its process group, and the processor
 * JVM that started it. It is there from the start of the run until its outcome; a marker whose processor is gone marks
 * an orphaned run, which {@link OrphanReaper} ends. A few {@code key=value} lines:
 *
 * <pre>
 * process-group=41234
 * processor-host=worker-7
 * processor-pid=40017
 * processor-start=2025-06-01T10:00:00.120Z
 * processor-start-ticks=1234567
 * </pre>
 *
 * The two start lines are left out when unknown.
 */
record RunMarker(long processGroup, ProcessIdentity processor) {

    static final String FILE = ".jobline-run";
    /** A marker is a few lines: anything longer is not one. */
    static final int MAX_BYTES = 4096;

    private static final String PROCESS_GROUP = "process-group";
    private static final String HOST = "processor-host";
    private static final String PID = "processor-pid";
    private static final String START = "processor-start";
    private static final String START_TICKS = "processor-start-ticks";
    private static final String TEMPORARY_SUFFIX = ".tmp";

    /** What became of the processor that started a run. */
    enum ProcessorState {
        /** It runs (or it cannot be told from a later process with its pid): its runs are its own business. */
        ALIVE,
        /** No live process of this host is that processor any more: its run is an orphan. */
        GONE,
        /** It ran on another host sharing the work root: nothing on this host can tell. */
        ON_ANOTHER_HOST
    }

    RunMarker {
        if (processGroup <= 1) {
            throw new IllegalArgumentException("not a process group: " + processGroup);
        }
        Objects.requireNonNull(processor, "processor");
    }

    /** The marker of a process group that this JVM has just started. */
    static RunMarker startedHere(long processGroup) {
        return new RunMarker(processGroup, ProcessIdentity.current());
    }

    /**
     * @param thisHost      the host that asks
     * @param liveProcesses the live process with a pid, on this host
     */
    ProcessorState processorState(String thisHost, LongFunction<Optional<ProcessIdentity>> liveProcesses) {
        if (!processor.host().equals(thisHost)) {
            return ProcessorState.ON_ANOTHER_HOST;
        }
        return liveProcesses.apply(processor.pid()).filter(live -> live.isSameProcessAs(processor)).isPresent()
                ? ProcessorState.ALIVE
                : ProcessorState.GONE;
    }

    String text() {
        StringBuilder text = new StringBuilder()
                .append("# Jobline: the Snakemake run in this folder and the processor that started it.\n")
                .append("# Removed when the run ends; if that processor dies first, a processor of this host ends the run.\n")
                .append(PROCESS_GROUP).append('=').append(processGroup).append('\n')
                .append(HOST).append('=').append(processor.host()).append('\n')
                .append(PID).append('=').append(processor.pid()).append('\n');
        if (processor.start() != null) {
            text.append(START).append('=').append(processor.start()).append('\n');
        }
        if (processor.startTicks() != null) {
            text.append(START_TICKS).append('=').append(processor.startTicks()).append('\n');
        }
        return text.toString();
    }

    /**
     * Reads {@link #text()}. Blank lines, {@code #} comments and unknown keys are skipped.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static RunMarker parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            int equals = content.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("not a key=value line: '" + content + "'");
            }
            String key = content.substring(0, equals).strip();
            if (values.put(key, content.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException(key + " is given twice");
            }
        }
        String start = values.get(START);
        String startTicks = values.get(START_TICKS);
        ProcessIdentity processor = new ProcessIdentity(required(values, HOST), number(PID, required(values, PID)),
                start == null ? null : instant(start), startTicks == null ? null : number(START_TICKS, startTicks));
        return new RunMarker(number(PROCESS_GROUP, required(values, PROCESS_GROUP)), processor);
    }

    /** Writes the marker into {@code workingDir} at once: a reader never sees half of it. */
    void writeIn(Path workingDir) throws IOException {
        Path temporary = workingDir.resolve(FILE + TEMPORARY_SUFFIX);
        Files.writeString(temporary, text(), StandardCharsets.UTF_8);
        try {
            Files.move(temporary, workingDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * Reads a marker without following a symbolic link.
     *
     * @return empty when there is no marker
     * @throws IllegalArgumentException when the file is not a marker (not a regular file, too long, unreadable text)
     */
    static Optional<RunMarker> readFrom(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("longer than " + MAX_BYTES + " bytes");
        }
        return Optional.of(parse(new String(bytes, StandardCharsets.UTF_8)));
    }

    static void removeFrom(Path workingDir) throws IOException {
        Files.deleteIfExists(workingDir.resolve(FILE));
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return value;
    }

    private static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a whole number: '" + value + "'");
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(START + " is not an instant: '" + value + "'");
        }
    }
}
