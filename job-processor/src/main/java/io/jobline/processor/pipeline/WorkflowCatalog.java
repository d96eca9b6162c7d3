package io.jobline.processor.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snakemake workflows in a folder: each sub-folder whose name is a valid workflow name and that holds a
 * {@code Snakefile} is one workflow, named after the folder; a {@code config.yaml} beside the Snakefile holds the
 * defaults of its parameters.
 */
final class WorkflowCatalog {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final String SNAKEFILE = "Snakefile";
    static final String DEFAULTS = "config.yaml";

    private static final Logger log = LoggerFactory.getLogger(WorkflowCatalog.class);

    private WorkflowCatalog() {
    }

    /**
     * @param name      the workflow's name (its folder's)
     * @param snakefile absolute
     * @param defaults  absolute, when the workflow has defaults
     */
    record Workflow(String name, Path snakefile, Optional<Path> defaults) {
    }

    /** The workflows in {@code dir}, by name; none when the folder does not exist. */
    static List<Workflow> scan(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            log.warn("No Snakemake workflows: {} is not a folder (jobline.snakemake.workflows-dir)", root);
            return List.of();
        }
        List<Workflow> workflows = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                Path snakefile = folder.resolve(SNAKEFILE);
                if (!Files.isRegularFile(snakefile)) {
                    continue;
                }
                if (!NAME.matcher(name).matches()) {
                    log.warn("Ignoring the workflow folder {}: a workflow name must match {}", folder, NAME.pattern());
                    continue;
                }
                Path defaults = folder.resolve(DEFAULTS);
                workflows.add(new Workflow(name, snakefile,
                        Files.isRegularFile(defaults) ? Optional.of(defaults) : Optional.empty()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the workflow folder " + root, e);
        }
        workflows.sort(Comparator.comparing(Workflow::name));
        return List.copyOf(workflows);
    }
}
