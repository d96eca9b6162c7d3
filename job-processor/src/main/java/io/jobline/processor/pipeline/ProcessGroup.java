package io.jobline.processor.pipeline;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process group, signalled as a whole through {@code kill(1)} ({@code kill -TERM -- -<pgid>}), started as a
 * process of its own: never through a shell.
 */
final class ProcessGroup {

    private static final Logger log = LoggerFactory.getLogger(ProcessGroup.class);
    private static final String KILL = Files.isExecutable(Path.of("/bin/kill")) ? "/bin/kill" : "kill";
    private static final Path PROC = Path.of("/proc");
    private static final long KILL_TIMEOUT_SECONDS = 10;

    private final long pgid;

    ProcessGroup(long pgid) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a process group one may signal: " + pgid);
        }
        this.pgid = pgid;
    }

    long id() {
        return pgid;
    }

    /** Sends {@code signal} (TERM, KILL, ...) to every process of the group; false when none received it. */
    boolean signal(String signal) {
        return kill("-" + signal);
    }

    /**
     * Whether a process of the group is left. A zombie does not count: it runs nothing, and if the processor is the
     * reaper of orphans (PID 1 in a container without an init), nobody would ever collect it.
     */
    boolean exists() {
        return kill("-0") && hasLiveMember();
    }

    private boolean kill(String signalOption) {
        ProcessBuilder builder = new ProcessBuilder(List.of(KILL, signalOption, "--", "-" + pgid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process kill = builder.start();
            if (!kill.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException(KILL + " " + signalOption + " -- -" + pgid + " did not end in "
                        + KILL_TIMEOUT_SECONDS + " s");
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + KILL + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling process group " + pgid, e);
        }
    }

    /**
     * Whether a live process of the group works in {@code dir} or below it (its {@code /proc/<pid>/cwd}), as every
     * process of a Snakemake run does: a group id that the kernel has given to an unrelated group since does not.
     * False when {@code /proc} cannot tell.
     *
     * @param dir absolute, without symbolic links
     */
    boolean hasMemberWorkingIn(Path dir) {
        for (long pid : liveMembers().orElse(List.of())) {
            try {
                if (Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("cwd")).startsWith(dir)) {
                    return true;
                }
            } catch (IOException | UnsupportedOperationException gone) {
                // ended, or not ours to look at
            }
        }
        return false;
    }

    private boolean hasLiveMember() {
        return liveMembers().map(members -> !members.isEmpty()).orElseGet(() -> {
            log.debug("Cannot read {}; trusting kill -0 for process group {}", PROC, pgid);
            return true;
        });
    }

    /** The pids of the group's processes that are not zombies; empty when {@code /proc} cannot be read. */
    private Optional<List<Long>> liveMembers() {
        if (!Files.isDirectory(PROC)) {
            return Optional.empty();
        }
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, path -> isNumber(path.getFileName().toString()))) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so start after the last ')'
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (fields.length > 2 && Long.parseLong(fields[2]) == pgid && !fields[0].equals("Z")) {
                    members.add(Long.parseLong(process.getFileName().toString()));
                }
            }
            return Optional.of(members);
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot read {} for process group {}", PROC, pgid, e);
            return Optional.empty();
        }
    }

    private static boolean isNumber(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    @Override
    public String toString() {
        return "process group " + pgid;
    }
}
