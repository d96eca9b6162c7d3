package io.jobline.api.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

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
import io.jobline.api.support.TestCallers;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * No broker and no projection: the bootstrap address and the projection URL point at closed ports. Submissions
 * answer 503 with Retry-After within the (short) ack timeout, never 202; reads answer 503; readiness is DOWN
 * while liveness stays UP; and the event loop keeps serving while sends wait for Kafka.
 */
@SpringBootTest(classes = CommandApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.config.name=command-api",
                "jobline.api.kafka-ack-timeout=2s",
                "jobline.api.retry-after=4s",
                "jobline.api.broker-probe-timeout=1s",
                "jobline.api.projection-connect-timeout=1s",
                "jobline.api.rate-limit.capacity=1000",
                // no broker to create topics on: do not spend start-up waiting for one
                "spring.kafka.admin.auto-create=false"
        })
@AutoConfigureWebTestClient(timeout = "20s")
class KafkaUnavailableIT {

    private static final int CLOSED_PORT_KAFKA = ClosedPorts.pick();
    private static final int CLOSED_PORT_PROJECTION = ClosedPorts.pick();
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);

    @DynamicPropertySource
    static void deadEnds(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + CLOSED_PORT_KAFKA);
        registry.add("jobline.api.projection-url", () -> "http://127.0.0.1:" + CLOSED_PORT_PROJECTION);
        TestCallers.register(registry);
    }

    @Autowired
    WebTestClient client;

    @BeforeEach
    void authenticate() {
        client = client.mutate().defaultHeader("X-API-Key", TestCallers.TESTER_KEY).build();
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void submissionAnswers503WithRetryAfterWithinTheAckTimeoutAndNever202() {
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            client.post().uri("/jobs")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"workflow\":\"mock\",\"parameters\":{\"a\":\"b\"}}")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals("Retry-After", "4")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().doesNotExist("Location")
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(503)
                    .jsonPath("$.detail").isNotEmpty();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("answer time of attempt %d", i).isLessThan(ACK_TIMEOUT.plusSeconds(3));
        }
    }

    @Test
    void validationStillAnswers400WithoutWaitingForKafka() {
        // warm up (first request of a fresh JVM), then measure
        client.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isBadRequest();
        long start = System.nanoTime();
        client.post().uri("/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflow\":\"nope\"}")
                .exchange()
                .expectStatus().isBadRequest();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ACK_TIMEOUT.dividedBy(2));
    }

    @Test
    void theEventLoopKeepsServingWhileSubmissionsWaitForKafka() {
        int concurrent = 8;
        var submissions = Flux.range(0, concurrent)
                .flatMap(i -> Mono.fromCallable(() -> client.post().uri("/jobs")
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue("{\"workflow\":\"mock\"}")
                                .exchange().returnResult(Void.class).getStatus().value())
                        .subscribeOn(Schedulers.boundedElastic()), concurrent)
                .collectList()
                .toFuture();
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk(); // warm-up
        await("all submissions in flight").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> submissionsInFlight() >= concurrent);
        assertThat(submissions).as("submissions still waiting for Kafka").isNotDone();
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        // had a send blocked an event-loop thread, this would have waited for max.block.ms (the 2 s ack timeout)
        assertThat(submissions).as("liveness answered while submissions still wait for Kafka").isNotDone();
        assertThat(submissions.join()).hasSize(concurrent).containsOnly(503);
    }

    @Test
    void readsAnswer503WhenTheProjectionIsUnreachable() {
        client.get().uri("/jobs/0193a5c2-8f00-7000-8000-000000000001").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "4")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/jobs?limit=10").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "4")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void readinessIsDownAndLivenessUp() {
        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.broker.status").isEqualTo("DOWN");
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    private int submissionsInFlight() {
        var active = meters.find("http.server.requests.active").tag("method", "POST").longTaskTimers();
        return active.stream().mapToInt(LongTaskTimer::activeTasks).sum();
    }
}
