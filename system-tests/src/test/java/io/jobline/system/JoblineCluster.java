package io.jobline.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jobline.api.CommandApiApplication;
import io.jobline.processor.JobProcessorApplication;
import io.jobline.projection.StatusProjectionApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The three services, each in its own Spring context with its own config file, on one Kafka
 * broker: what {@code ./jobline up} runs, in one JVM.
 */
final class JoblineCluster implements AutoCloseable {

    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private final int apiPort;

    private JoblineCluster(int apiPort) {
        this.apiPort = apiPort;
    }

    static JoblineCluster start(String bootstrapServers, String... extraArgs) throws IOException {
        return start(true, bootstrapServers, extraArgs);
    }

    /** The API and the projection only: the test runs processors of its own. */
    static JoblineCluster startWithoutProcessor(String bootstrapServers, String... extraArgs) throws IOException {
        return start(false, bootstrapServers, extraArgs);
    }

    private static JoblineCluster start(boolean withProcessor, String bootstrapServers, String... extraArgs)
            throws IOException {
        int apiPort = freePort();
        int projectionPort = freePort();
        Path stateDir = Files.createTempDirectory("jobline-projection");
        JoblineCluster cluster = new JoblineCluster(apiPort);
        String kafka = "--spring.kafka.bootstrap-servers=" + bootstrapServers;
        cluster.run(StatusProjectionApplication.application(), extraArgs, kafka,
                "--server.port=" + projectionPort,
                "--jobline.projection.state-dir=" + stateDir,
                "--spring.kafka.streams.state-dir=" + stateDir);
        if (withProcessor) {
            cluster.run(JobProcessorApplication.application(), extraArgs, kafka, "--server.port=0");
        }
        cluster.run(CommandApiApplication.application(), extraArgs, kafka,
                "--server.port=" + apiPort,
                "--jobline.api.projection-url=http://localhost:" + projectionPort);
        return cluster;
    }

    String apiUrl() {
        return "http://localhost:" + apiPort;
    }

    private void run(SpringApplicationBuilder app, String[] extraArgs, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(extraArgs));
        services.add(app.run(all.toArray(String[]::new)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
    }
}
