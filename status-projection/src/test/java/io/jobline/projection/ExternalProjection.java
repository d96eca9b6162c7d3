package io.jobline.projection;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * A status-projection in a JVM of its own (its own Reactor Netty, its own Kafka Streams, its own state
 * directory), so that a test can stop and restart it as an operator would, without touching the other
 * instances. It takes {@link InternalKeys#KEY} as its internal key. Its output goes to {@code target/<name>.log}.
 */
final class ExternalProjection implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path stateDir;
    private final List<String> args;
    private Process process;

    private ExternalProjection(String name, int port, Path stateDir, List<String> args) {
        this.name = name;
        this.port = port;
        this.stateDir = stateDir;
        this.args = args;
    }

    /** Starts an instance on a free port, with its state under {@code target/it-state/<name>}. */
    static ExternalProjection start(String name, String bootstrapServers, List<String> args) throws IOException {
        Path stateDir = Files.createDirectories(Path.of("target", "it-state", name + "-" + System.nanoTime()));
        List<String> all = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers,
                InternalKeys.ARGUMENT));
        all.addAll(args);
        return new ExternalProjection(name, freePort(), stateDir, all).launch();
    }

    /** (Re)starts the JVM with the same port and state directory. */
    ExternalProjection launch() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StatusProjectionApplication.class.getName(), "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--jobline.projection.state-dir=" + stateDir.toAbsolutePath()));
        command.addAll(args);
        Path log = Files.createDirectories(Path.of("target")).resolve(name + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    Path stateDir() {
        return stateDir;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as an orchestrator stops a service; waits for the JVM to exit. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Kills the JVM if it still runs, and deletes its state directory. */
    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        FileSystemUtils.deleteRecursively(stateDir.toFile());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
