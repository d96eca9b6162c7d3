package io.jobline.api.security;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.api.CommandApiApplication;
import io.jobline.api.support.ClosedPorts;
import io.jobline.api.support.TestCallers;
import io.jobline.api.support.TestIssuer;

/**
 * No token issuer configured (neither {@code jobline.security.jwt.issuer-uri} nor {@code jwk-set-uri}): every bearer
 * token is refused with 401, however well it is signed, while API keys work. No Kafka is needed for that.
 */
@SpringBootTest(classes = CommandApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.config.name=command-api",
                "spring.kafka.admin.auto-create=false",
                "jobline.api.broker-probe-timeout=1s"
        })
@AutoConfigureWebTestClient
@DirtiesContext
class BearerTokensWithoutIssuerIT {

    private static final TestIssuer ISSUER = TestIssuer.start();

    @DynamicPropertySource
    static void noIssuer(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + ClosedPorts.pick());
        registry.add("jobline.api.projection-url", () -> "http://127.0.0.1:" + ClosedPorts.pick());
        TestCallers.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Test
    void aValidlySignedTokenIsRefusedNamingAuthorization() {
        client.get().uri("/jobs/not-a-job")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.token(TestCallers.TESTER, "user"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer .*error=\"invalid_token\".*")
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/unauthenticated")
                .jsonPath("$.field").isEqualTo("Authorization")
                .jsonPath("$.detail").value(String.class,
                        detail -> assertThat(detail).contains("no token issuer"));
    }

    @Test
    void apiKeysStillWork() {
        // an id that is no UUID is a 404 without asking the (absent) projection: proof enough of getting in
        client.get().uri("/jobs/not-a-job").header("X-API-Key", TestCallers.TESTER_KEY).exchange()
                .expectStatus().isNotFound();
    }
}
