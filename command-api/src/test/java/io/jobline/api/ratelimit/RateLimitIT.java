package io.jobline.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.TestCallers;

/**
 * The rate limit of work-creating requests through real HTTP, with a burst of 3 and 1 token a second: each test
 * uses principals of its own, since buckets outlive a test.
 */
@TestPropertySource(properties = {
        "jobline.api.rate-limit.capacity=3",
        "jobline.api.rate-limit.refill-per-second=1"
})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RateLimitIT extends ApiIntegrationTest {

    private static final String JOB = "{\"workflow\":\"mock\"}";

    @Test
    void aBurstPassesTheNextIsRefusedWithRetryAfterOthersAreUnaffectedAndTokensComeBack() {
        WebTestClient alice = as(TestCallers.ALICE_KEY);
        long written = commandsEndOffset();
        for (int i = 0; i < 3; i++) {
            submit(alice).expectStatus().isAccepted();
        }
        long retryAfter = Long.parseLong(submit(alice)
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/rate-limited")
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.detail").isNotEmpty()
                .returnResult().getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(commandsEndOffset()).as("the refused request wrote nothing").isEqualTo(written + 3);

        submit(as(TestCallers.BOB_KEY)).expectStatus().isAccepted();

        await().pollDelay(Duration.ofSeconds(retryAfter)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> submit(alice).expectStatus().isAccepted());
    }

    @Test
    void aRetryTakesATokenToo() {
        WebTestClient tester = as(TestCallers.TESTER_KEY);
        String unknownJob = "0193a5c2-8f00-7000-8000-00000000e001";
        for (int i = 0; i < 3; i++) {
            tester.post().uri("/jobs/" + unknownJob + "/retry").exchange().expectStatus().isNotFound();
        }
        tester.post().uri("/jobs/" + unknownJob + "/retry").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        submit(tester).expectStatus().isEqualTo(429);
        // reading and cancelling create no work: never limited
        for (int i = 0; i < 5; i++) {
            tester.get().uri("/jobs/" + unknownJob).exchange().expectStatus().isNotFound();
            tester.post().uri("/jobs/" + unknownJob + "/cancel").exchange().expectStatus().isNotFound();
        }
    }

    private static WebTestClient.ResponseSpec submit(WebTestClient caller) {
        return caller.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(JOB).exchange();
    }
}
