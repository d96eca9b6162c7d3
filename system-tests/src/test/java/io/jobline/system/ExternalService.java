package io.jobline.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jobline.processor.JobProcessorApplication;

/** A job-processor in a JVM of its own, so that a test can kill it as an operating system would. */
final class ExternalProcessor implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ExternalProcessor(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ExternalProcessor start(String workerId, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                JobProcessorApplication.class.getName(), "--server.port=0",
                "--jobline.processor.worker-id=" + workerId));
        command.addAll(args);
        Path log = Files.createDirectories(Path.of("target")).resolve(workerId + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ExternalProcessor(process, log);
    }

    /** SIGKILL: the JVM gets no chance to report anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the JVM shuts down gracefully. */
    void terminate() {
        process.destroy();
    }

    boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
