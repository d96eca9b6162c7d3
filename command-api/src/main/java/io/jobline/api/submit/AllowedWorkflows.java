package io.jobline.api.submit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.jobline.api.ApiProperties;

/**
 * The workflows a job may name: the configured names ({@code jobline.api.workflows}, the mock pipeline's) and every
 * sub-folder of {@code jobline.api.workflows-dir} whose name matches {@link #NAME_PATTERN} and that holds a
 * {@code Snakefile}. The folder is scanned once, at start-up; a missing folder adds nothing. Start-up fails when no
 * workflow at all is allowed.
 */
@Component
public class AllowedWorkflows {

    /** The name of a workflow folder: also safe as a path segment and in a shell word. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private static final Logger log = LoggerFactory.getLogger(AllowedWorkflows.class);

    private final Set<String> names;

    @Autowired
    public AllowedWorkflows(ApiProperties properties) {
        this(properties.workflows(), properties.workflowsDir());
    }

    AllowedWorkflows(Collection<String> configured, Path dir) {
        Set<String> all = new LinkedHashSet<>(configured);
        List<String> found = scan(dir);
        all.addAll(found);
        if (all.isEmpty()) {
            throw new IllegalStateException("No workflow is allowed: jobline.api.workflows is empty and "
                    + dir.toAbsolutePath() + " holds no workflow folder (<name>/Snakefile)");
        }
        this.names = java.util.Collections.unmodifiableSet(all);
        log.info("Allowed workflows: {} (configured {}, found in {}: {})", names, configured, dir.toAbsolutePath(), found);
    }

    public boolean allows(String workflow) {
        return names.contains(workflow);
    }

    /** Every allowed name: the configured ones in their order, then the folders' in alphabetical order. */
    public Set<String> names() {
        return names;
    }

    /** The names of the workflow folders in {@code dir}, sorted; none when it does not exist. */
    static List<String> scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                log.warn("jobline.api.workflows-dir {} is not a folder: no workflow taken from it", dir.toAbsolutePath());
            }
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries
                    .filter(entry -> NAME_PATTERN.matcher(entry.getFileName().toString()).matches())
                    .filter(entry -> Files.isRegularFile(entry.resolve("Snakefile")))
                    .map(entry -> entry.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jobline.api.workflows-dir " + dir.toAbsolutePath(), e);
        }
    }
}
