package io.jobline.processor.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One process, told apart from a later process that got the same pid: its host, its pid, and when it started.
 *
 * @param host       the kernel's host name (a container has its own, and its own pids)
 * @param start      {@code ProcessHandle.Info.startInstant()}, null when unknown
 * @param startTicks field 22 of {@code /proc/<pid>/stat}, clock ticks since boot, null when unknown; unlike
 *                   {@code start} it does not move when the wall clock is set
 */
record ProcessIdentity(String host, long pid, Instant start, Long startTicks) {

    /** Only used when the start ticks are unknown on either side. */
    static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    private static final Path PROC = Path.of("/proc");
    private static final String THIS_HOST = readHost();
    private static final ProcessIdentity CURRENT = live(ProcessHandle.current().pid())
            .orElseGet(() -> new ProcessIdentity(THIS_HOST, ProcessHandle.current().pid(),
                    ProcessHandle.current().info().startInstant().orElse(null), null));

    ProcessIdentity {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("not a host name: '" + host + "'");
        }
        if (pid < 1) {
            throw new IllegalArgumentException("not a pid: " + pid);
        }
        if (startTicks != null && startTicks < 0) {
            throw new IllegalArgumentException("start ticks must not be negative: " + startTicks);
        }
    }

    /** This JVM. */
    static ProcessIdentity current() {
        return CURRENT;
    }

    static String thisHost() {
        return THIS_HOST;
    }

    /**
     * The live process with this pid on this host, if there is one. A zombie is not live: it is a process that has
     * ended and waits only for its parent to collect its exit status.
     */
    static Optional<ProcessIdentity> live(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        Instant start = handle.flatMap(process -> process.info().startInstant()).orElse(null);
        if (!Files.isDirectory(PROC)) {
            return handle.filter(ProcessHandle::isAlive).map(process -> new ProcessIdentity(THIS_HOST, pid, start, null));
        }
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            // cannot tell: alive if the JDK says so, with what it knows
            return handle.filter(ProcessHandle::isAlive).map(process -> new ProcessIdentity(THIS_HOST, pid, start, null));
        }
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count fields after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String state = fields[0];
        if (state.equals("Z") || state.equals("X")) {
            return Optional.empty();
        }
        Long ticks = fields.length > 19 ? Long.valueOf(fields[19]) : null;
        return Optional.of(new ProcessIdentity(THIS_HOST, pid, start, ticks));
    }

    /**
     * Whether {@code other} describes this same process. When neither clock can tell (a start unknown on one side),
     * the answer is yes: a live processor's run must never be taken for an orphan.
     */
    boolean isSameProcessAs(ProcessIdentity other) {
        if (pid != other.pid || !host.equals(other.host)) {
            return false;
        }
        if (startTicks != null && other.startTicks != null) {
            return startTicks.equals(other.startTicks);
        }
        if (start != null && other.start != null) {
            return Duration.between(start, other.start).abs().compareTo(START_TOLERANCE) <= 0;
        }
        return true;
    }

    /** The kernel's name of this host (of this container's UTS namespace), as {@code hostname} prints it. */
    private static String readHost() {
        try {
            String name = Files.readString(PROC.resolve("sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back below
        }
        String variable = System.getenv("HOSTNAME");
        return variable == null || variable.isBlank() ? "localhost" : variable.strip();
    }
}
