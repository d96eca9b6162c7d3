package io.jobline.api.support;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import io.jobline.api.CommandApiApplication;

/**
 * A command-api of a test's own in the test JVM, started from command-line arguments. Its web server has Reactor
 * Netty resources of its own, so that closing it (or its failing to start) disposes nothing the other tests'
 * applications run on.
 */
public final class SeparateInstance {

    private SeparateInstance() {
    }

    public static ConfigurableApplicationContext start(String... arguments) {
        return CommandApiApplication.application()
                .initializers(context -> ((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class,
                        () -> {
                            ReactorResourceFactory resources = new ReactorResourceFactory();
                            resources.setUseGlobalResources(false);
                            return resources;
                        }))
                .run(arguments);
    }

    /** On a random port, without Kafka (a closed port, no topic creation) or a projection (another closed port). */
    public static ConfigurableApplicationContext startAlone(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.kafka.admin.auto-create=false",
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + ClosedPorts.pick(),
                "--jobline.api.projection-url=http://127.0.0.1:" + ClosedPorts.pick()));
        all.addAll(List.of(arguments));
        return start(all.toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext instance) {
        return ((WebServerApplicationContext) instance).getWebServer().getPort();
    }
}
