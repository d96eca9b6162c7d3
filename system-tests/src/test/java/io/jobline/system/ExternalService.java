package io.jobline.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jobline.api.CommandApiApplication;
import io.jobline.processor.JobProcessorApplication;

/**
 * A service in a JVM of its own: a job-processor that a test can kill as an operating system would, or a second
 * command-api instance (two WebFlux servers in one JVM would share, and on close dispose, Reactor Netty's resources).
 */
final class ExternalService implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ExternalService(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ExternalService startProcessor(String workerId, List<String> args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--jobline.processor.worker-id=" + workerId));
        all.addAll(args);
        return start(workerId, JobProcessorApplication.class, all);
    }

    static ExternalService startApi(String name, List<String> args) throws IOException {
        return start(name, CommandApiApplication.class, args);
    }

    private static ExternalService start(String name, Class<?> mainClass, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        Path log = Files.createDirectories(Path.of("target")).resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ExternalService(process, log);
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
