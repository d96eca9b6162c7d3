package io.jobline.processor.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A processor in miniature, in a JVM of its own: it starts one long {@code steps} run through the pipeline, then
 * blocks, so that {@link OrphanReaperIT} can kill it outright. Should the test JVM die first, this JVM's standard
 * input closes, and it stops its run and exits rather than leave anything behind.
 *
 * <p>Arguments: the workflows folder, the work root, the job id.
 */
final class OrphaningProcessorMain {

    private OrphaningProcessorMain() {
    }

    public static void main(String[] args) throws Exception {
        Path workflows = Path.of(args[0]);
        SnakemakeProperties settings = new SnakemakeProperties(workflows, Path.of(args[1]), "snakemake", 1,
                Duration.ofSeconds(10), Duration.ofMinutes(1), 20, Duration.ofHours(1), Map.of(),
                SnakemakeProperties.Parameters.defaults());
        WorkflowCatalog.Workflow steps = WorkflowCatalog.scan(workflows).stream()
                .filter(workflow -> workflow.name().equals("steps")).findFirst().orElseThrow();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        PipelineRun run = new SnakemakePipeline(steps, settings, scheduler)
                .prepare(new JobSpec(args[2], 1, "test", "steps", Map.of("steps", "1", "step_seconds", "600")))
                .start(RunListener.IGNORE);

        while (System.in.read() != -1) {
            // blocks until the test kills this JVM, or until the test JVM is gone
        }
        run.stop();
        run.outcome().get(60, TimeUnit.SECONDS);
        System.exit(0);
    }

    /** Starts this main class in a new JVM on the test class path; its output goes to {@code log}. */
    static Process launch(Path workflows, Path workRoot, String jobId, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), OrphaningProcessorMain.class.getName(),
                workflows.toAbsolutePath().toString(), workRoot.toAbsolutePath().toString(), jobId));
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
