package io.jobline.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The processes of this machine that belong to a job: its id in their command line or working directory. */
final class JobProcesses {

    private JobProcesses() {
    }

    static List<String> of(String jobId) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(process -> {
                        String description = describe(process);
                        if (description.contains(jobId)) {
                            found.add(process.getFileName() + ": " + description);
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    private static String describe(Path process) {
        try {
            String commandLine = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
            String directory = Files.readSymbolicLink(process.resolve("cwd")).toString();
            return commandLine + " (in " + directory + ")";
        } catch (IOException | SecurityException e) {
            return ""; // ended meanwhile, or not ours to read
        }
    }
}
