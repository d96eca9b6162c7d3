package io.jobline.api.security;


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
 * The configured token issuer does not answer (its discovery document and keys cannot be fetched): a bearer token
 * cannot be checked, which is a 503 with Retry-After (it may be a good token), not a 401 or a 500. Start-up does
 * not depend on the issuer, and API keys keep working.
 */
@SpringBootTest(classes = CommandApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.config.name=command-api",
                "spring.kafka.admin.auto-create=false",
                "jobline.api.broker-probe-timeout=1s",
                "jobline.api.retry-after=6s"
        })
@AutoConfigureWebTestClient
@DirtiesContext
class UnreachableIssuerIT {

    private static final TestIssuer SIGNER = TestIssuer.start();

    @DynamicPropertySource
    static void issuerDown(DynamicPropertyRegistry registry) {
        int closed = ClosedPorts.pick();
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + ClosedPorts.pick());
        registry.add("jobline.api.projection-url", () -> "http://127.0.0.1:" + ClosedPorts.pick());
        registry.add("jobline.security.jwt.issuer-uri", () -> "http://127.0.0.1:" + closed + "/issuer");
        TestCallers.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Test
    void aTokenThatCannotBeCheckedIs503WithRetryAfter() {
        for (int attempt = 0; attempt < 2; attempt++) { // the failed discovery is not cached: each request tries again
            client.get().uri("/jobs/not-a-job")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + SIGNER.token(TestCallers.TESTER, "user"))
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "6")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(503);
        }
        client.get().uri("/jobs/not-a-job").header("X-API-Key", TestCallers.TESTER_KEY).exchange()
                .expectStatus().isNotFound();
    }
}
