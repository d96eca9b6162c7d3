package io.jobline.processor.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The outputs of a finished run: every regular file left in its working directory, except Snakemake's own
 * {@code .snakemake/} folder and Jobline's own files (the parameters file, the run marker). Intermediate files a
 * workflow marks {@code temp()} are gone by then, so what is left is what the workflow means to deliver.
 */
final class RunOutputs {

    static final int MAX_FILES = 1000;

    /** What a working directory holds besides outputs, at its top level: the one list of it. */
    private static final String SNAKEMAKE_FOLDER = ".snakemake";
    private static final Set<String> JOBLINE_FILES = Set.of(SnakemakePipeline.PARAMETERS_FILE, RunMarker.FILE);

    private RunOutputs() {
    }

    /**
     * @param files   the first {@link #MAX_FILES} outputs by relative path, sorted
     * @param omitted how many more there are
     */
    record Listing(List<OutputFile> files, int omitted) {
    }

    static Listing list(Path workingDir) {
        // the smallest MAX_FILES paths seen so far: bounded memory whatever the run left behind
        TreeMap<String, Long> kept = new TreeMap<>();
        int[] omitted = {0};
        try {
            Files.walkFileTree(workingDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    boolean snakemakeFolder = dir.getParent() != null && dir.getParent().equals(workingDir)
                            && dir.getFileName().toString().equals(SNAKEMAKE_FOLDER);
                    return snakemakeFolder ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!attrs.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    String path = relativePath(workingDir, file);
                    if (JOBLINE_FILES.contains(path)) {
                        return FileVisitResult.CONTINUE;
                    }
                    kept.put(path, attrs.size());
                    if (kept.size() > MAX_FILES) {
                        kept.pollLastEntry();
                        omitted[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the outputs in " + workingDir, e);
        }
        List<OutputFile> files = new ArrayList<>(kept.size());
        for (Map.Entry<String, Long> file : kept.entrySet()) {
            files.add(new OutputFile(file.getKey(), file.getValue()));
        }
        return new Listing(List.copyOf(files), omitted[0]);
    }

    private static String relativePath(Path root, Path file) {
        List<String> names = new ArrayList<>();
        for (Path name : root.relativize(file)) {
            names.add(name.toString());
        }
        return String.join("/", names);
    }
}
