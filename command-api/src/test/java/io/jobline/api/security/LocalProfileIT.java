package io.jobline.api.security;

import static io.jobline.api.support.SeparateInstance.startAlone;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobline.api.support.SeparateInstance;

/**
 * The development keys work exactly when profile {@code local} is active: {@code --spring.profiles.active=local}
 * (or {@code SPRING_PROFILES_ACTIVE=local}) lets {@code jobline-dev-alice} in; without it the same key is refused.
 */
class LocalProfileIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theDevelopmentKeysAreAcceptedOnlyWithTheLocalProfile() throws Exception {
        try (ConfigurableApplicationContext local = startAlone("--spring.profiles.active=local")) {
            assertThat(status(local, "jobline-dev-alice")).as("authenticated: an id that is no UUID is a 404")
                    .isEqualTo(404);
            assertThat(status(local, "jobline-dev-admin")).isEqualTo(404);
            assertThat(status(local, "jobline-dev-nobody")).isEqualTo(401);
        }
        try (ConfigurableApplicationContext production = startAlone("--jobline.security.internal-key=some-key")) {
            assertThat(status(production, "jobline-dev-alice")).isEqualTo(401);
        }
    }

    private static int status(ConfigurableApplicationContext context, String apiKey) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + SeparateInstance.port(context) + "/jobs/not-a-job");
        return HTTP.send(HttpRequest.newBuilder(uri)
                .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
