package io.jobline.processor.pipeline;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.json.JsonMapper;

/** A planned Snakemake run: the command, its working directory and the parameters file it will read. */
public final class SnakemakeRun implements PreparedRun {

    private static final Logger log = LoggerFactory.getLogger(SnakemakeRun.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final File NO_INPUT = new File("/dev/null");

    private final JobSpec job;
    private final Path workingDir;
    private final List<String> command;
    private final SnakemakeProperties settings;
    private final ScheduledExecutorService scheduler;

    SnakemakeRun(JobSpec job, Path workingDir, List<String> command, SnakemakeProperties settings,
            ScheduledExecutorService scheduler) {
        this.job = job;
        this.workingDir = workingDir;
        this.command = command;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    /** The command line, as a list of arguments (there is no shell). */
    public List<String> command() {
        return command;
    }

    public Path workingDir() {
        return workingDir;
    }

    @Override
    public SnakemakeProcess start(RunListener listener) {
        try {
            prepareWorkingDir();
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                    .redirectErrorStream(true);
            // the processor's own settings (Kafka credentials among them) are none of the workflow's business
            builder.environment().keySet().removeIf(SnakemakeRun::isProcessorSetting);
            Process process = builder.start();
            log.info("Job {} attempt {}: started Snakemake workflow '{}' in {} (process group {})", job.jobId(),
                    job.attempt(), job.workflow(), workingDir, process.pid());
            writeMarker(process.pid());
            return new SnakemakeProcess(job, process, workingDir, listener, settings, scheduler);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Snakemake for job " + job.jobId() + ": " + e.getMessage(), e);
        }
    }

    /** Before the run is watched, so that its outcome, which removes the marker, cannot come first. */
    private void writeMarker(long processGroup) {
        try {
            RunMarker.startedHere(processGroup).writeIn(workingDir);
        } catch (IOException | RuntimeException e) {
            log.warn("Job {} attempt {}: cannot write {} in {}; should this processor die, nothing will end process "
                    + "group {}: {}", job.jobId(), job.attempt(), RunMarker.FILE, workingDir, processGroup, e.toString());
        }
    }

    static boolean isProcessorSetting(String variable) {
        return variable.startsWith("SPRING_") || variable.startsWith("KAFKA_") || variable.startsWith("JOBLINE_");
    }

    /**
     * A fresh folder: a folder left by an earlier start of the same attempt (a redelivered command after a crash)
     * is removed first, so that nothing of it is taken for an output of this run.
     */
    private void prepareWorkingDir() throws IOException {
        if (Files.exists(workingDir)) {
            log.warn("Job {} attempt {}: removing the working directory left by an earlier start: {}", job.jobId(),
                    job.attempt(), workingDir);
            deleteRecursively(workingDir);
        }
        Files.createDirectories(workingDir);
        Map<String, String> parameters = new TreeMap<>(job.parameters());
        Files.write(workingDir.resolve(SnakemakePipeline.PARAMETERS_FILE), JSON.writeValueAsBytes(parameters));
    }

    private static void deleteRecursively(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public String toString() {
        return "Snakemake run of job " + job.jobId() + " attempt " + job.attempt() + " in " + workingDir;
    }
}
