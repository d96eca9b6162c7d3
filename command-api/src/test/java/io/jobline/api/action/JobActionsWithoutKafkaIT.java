package io.jobline.api.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.api.CommandApiApplication;
import io.jobline.api.support.ClosedPorts;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.TestCallers;

/**
 * The projection answers but Kafka does not (the bootstrap address is a closed port): cancel and retry of a job whose
 * status allows them answer 503 with Retry-After once the ack timeout has passed, never 202; the checks that need no write
 * still answer (409 for a finished job, 202 for one already cancelling).
 */
@SpringBootTest(classes = CommandApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.config.name=command-api",
                "jobline.api.kafka-ack-timeout=2s",
                "jobline.api.retry-after=4s",
                "jobline.api.broker-probe-timeout=1s",
                "spring.kafka.admin.auto-create=false"
        })
@AutoConfigureWebTestClient(timeout = "20s")
class JobActionsWithoutKafkaIT {

    private static final int CLOSED_PORT_KAFKA = ClosedPorts.pick();
    private static final FakeProjection PROJECTION = FakeProjection.start();

    private static final String RUNNING = "0193a5c2-8f00-7000-8000-0000000000b1";
    private static final String FAILED = "0193a5c2-8f00-7000-8000-0000000000b2";
    private static final String COMPLETED = "0193a5c2-8f00-7000-8000-0000000000b3";
    private static final String CANCELLING = "0193a5c2-8f00-7000-8000-0000000000b4";

    @DynamicPropertySource
    static void deadKafkaLiveProjection(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + CLOSED_PORT_KAFKA);
        registry.add("jobline.api.projection-url", PROJECTION::url);
        TestCallers.register(registry);
    }

    static {
        for (Map<String, Object> view : List.of(FakeProjection.view(RUNNING, "RUNNING"), FakeProjection.view(FAILED, "FAILED"),
                FakeProjection.view(COMPLETED, "COMPLETED"), FakeProjection.view(CANCELLING, "CANCELLING"))) {
            PROJECTION.put(view);
        }
    }

    @Autowired
    WebTestClient client;

    @BeforeEach
    void authenticate() {
        client = client.mutate().defaultHeader("X-API-Key", TestCallers.TESTER_KEY).build();
    }

    @Test
    void cancelAndRetryAnswer503WithRetryAfterAndNever202() {
        for (String request : List.of("/jobs/" + RUNNING + "/cancel", "/jobs/" + FAILED + "/retry")) {
            client.post().uri(request).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals("Retry-After", "4")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().doesNotExist("Location")
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(503)
                    .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                            .contains("request could not be recorded"));
        }
    }

    @Test
    void requestsThatNeedNoWriteAreAnsweredWithoutKafka() {
        client.post().uri("/jobs/" + COMPLETED + "/cancel").exchange().expectStatus().isEqualTo(409);
        client.post().uri("/jobs/" + RUNNING + "/retry").exchange().expectStatus().isEqualTo(409);
        client.post().uri("/jobs/" + CANCELLING + "/cancel").exchange().expectStatus().isAccepted();
    }
}
