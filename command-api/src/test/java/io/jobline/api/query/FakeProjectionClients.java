package io.jobline.api.query;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.unit.DataSize;

import io.jobline.api.ApiProperties;
import io.jobline.api.security.JoblineSecurityProperties;
import io.jobline.api.support.FakeProjection;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link FakeProjection} of a test's own and the {@link ProjectionClient}s the test makes against it, configured
 * like the application but for the settings under test. Registered as an extension, it stops them all after each
 * test.
 */
final class FakeProjectionClients implements AfterEachCallback {

    static final ProjectionPoolProperties POOL = new ProjectionPoolProperties(10, Duration.ofSeconds(2));

    private final FakeProjection projection = FakeProjection.start();
    private final List<ProjectionClient> clients = new ArrayList<>();

    FakeProjection projection() {
        return projection;
    }

    ProjectionClient client(Duration projectionTimeout, ProjectionPoolProperties pool, String internalKey) {
        ApiProperties properties = new ApiProperties(List.of("mock"), Path.of("workflows"),
                ApiProperties.DEFAULT_PARAMETER_VALUE_PATTERN, Duration.ofSeconds(5), Duration.ofSeconds(7),
                URI.create(projection.url()), projectionTimeout, Duration.ofSeconds(2), DataSize.ofMegabytes(1),
                Duration.ofSeconds(2), Duration.ofSeconds(10));
        JoblineSecurityProperties security = new JoblineSecurityProperties("", internalKey,
                new JoblineSecurityProperties.Jwt(null, null, null, "sub", "cognito:groups"));
        ProjectionClient client = new ProjectionClient(properties, pool, security, JsonMapper.builder().build());
        clients.add(client);
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        projection.stop();
        clients.forEach(ProjectionClient::destroy);
    }
}
