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
    private int projectionPort;

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
        String internalKey = "--jobline.security.internal-key=" + TestCallers.INTERNAL_KEY;
        cluster.run(StatusProjectionApplication.application(), extraArgs, kafka, internalKey,
                "--server.port=" + projectionPort,
                "--jobline.projection.state-dir=" + stateDir,
                "--spring.kafka.streams.state-dir=" + stateDir);
        if (withProcessor) {
            cluster.run(JobProcessorApplication.application(), extraArgs, kafka, "--server.port=0");
        }
        cluster.projectionPort = projectionPort;
        cluster.run(CommandApiApplication.application(), extraArgs, apiArgs(bootstrapServers, projectionPort, apiPort));
        return cluster;
    }

    /** What command-api needs to run against this cluster's broker and projection. */
    static String[] apiArgs(String bootstrapServers, int projectionPort, int apiPort) {
        return new String[] {"--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--server.port=" + apiPort,
                "--jobline.api.projection-url=http://localhost:" + projectionPort,
                "--jobline.security.internal-key=" + TestCallers.INTERNAL_KEY,
                "--jobline.security.api-keys=" + TestCallers.apiKeysTable(),
                // these tests submit in bursts; command-api's own tests cover the limit
                "--jobline.api.rate-limit.capacity=10000", "--jobline.api.rate-limit.refill-per-second=1000"};
    }

    int projectionPort() {
        return projectionPort;
    }

    /** A client of the API calling as {@code caller}. */
    JoblineClient client(TestCallers caller) {
        return new JoblineClient(apiUrl(), caller.apiKey());
    }

    String apiUrl() {
        return "http://localhost:" + apiPort;
    }

    private void run(SpringApplicationBuilder app, String[] extraArgs, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(extraArgs));
        services.add(app.run(all.toArray(String[]::new)));
    }

    static int freePort() throws IOException {
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
