package io.jobline.processor.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The processes of this machine, read from /proc the way ps does. */
final class ProcessTable {

    /** @param commandLine the arguments joined with spaces */
    record Entry(long pid, long pgid, String state, String commandLine) {
    }

    private ProcessTable() {
    }

    static List<Entry> all() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"),
                path -> path.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String commandLine = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                    entries.add(new Entry(Long.parseLong(dir.getFileName().toString()), Long.parseLong(fields[2]),
                            fields[0], commandLine));
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    static List<Entry> inGroup(long pgid) {
        return all().stream().filter(entry -> entry.pgid() == pgid).toList();
    }

    static List<Entry> mentioning(String text) {
        return all().stream().filter(entry -> entry.commandLine().contains(text)).toList();
    }

    /** Whether {@code kill -0 -- -<pgid>} finds a process of the group. */
    static boolean groupSignalable(long pgid) throws IOException, InterruptedException {
        return new ProcessBuilder("kill", "-0", "--", "-" + pgid)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor() == 0;
    }
}
