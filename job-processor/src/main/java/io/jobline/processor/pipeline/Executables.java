package io.jobline.processor.pipeline;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a command the way a shell would: a name with a {@code /} is a path, any other name is looked up on the PATH. */
final class Executables {

    private Executables() {
    }

    static Optional<Path> find(String command) {
        return find(command, System.getenv("PATH"));
    }

    static Optional<Path> find(String command, String searchPath) {
        try {
            if (command.contains("/")) {
                Path path = Path.of(command).toAbsolutePath();
                return isExecutableFile(path) ? Optional.of(path) : Optional.empty();
            }
            if (searchPath == null || command.isEmpty()) {
                return Optional.empty();
            }
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, command).toAbsolutePath();
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
