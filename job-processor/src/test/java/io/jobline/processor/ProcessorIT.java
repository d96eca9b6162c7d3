package io.jobline.processor;

import static io.jobline.processor.TestKafka.allTerminal;
import static io.jobline.processor.TestKafka.byJob;
import static io.jobline.processor.TestKafka.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.processor.pipeline.MockPipeline;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.Topics;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=job-processor",
        "jobline.processor.worker-id=it-worker",
        // this class checks one attempt per job; automatic retries have their own test
        "jobline.supervisor.max-attempts=1",
        "jobline.topics.partitions=3",
        "jobline.mock.min-duration=20ms",
        "jobline.mock.max-duration=100ms"})
@EmbeddedKafka(count = 1, brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
@AutoConfigureWebTestClient
@DirtiesContext
class ProcessorIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    WebTestClient web;

    @Test
    void everySubmittedJobStartsOnceAndEndsOnceWithTheRightOutcome() throws Exception {
        Random random = new Random(3);
        Map<String, Boolean> shouldFail = new HashMap<>();
        try (KafkaProducer<String, JobCommand> producer = TestKafka.commandProducer(broker.getBrokersAsString())) {
            for (int i = 0; i < 50; i++) {
                String jobId = "bulk-" + i;
                boolean fail = i % 4 == 0;
                shouldFail.put(jobId, fail);
                Map<String, String> parameters = new HashMap<>();
                parameters.put(MockPipeline.DURATION_PARAMETER, String.valueOf(10 + random.nextInt(150)));
                if (fail) {
                    parameters.put(MockPipeline.OUTCOME_PARAMETER, "fail");
                } else if (i % 3 == 0) {
                    parameters.put(MockPipeline.OUTCOME_PARAMETER, "succeed");
                }
                producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), jobId, submitted(jobId, "mock", parameters)));
            }
        }

        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString())) {
            events.until(allTerminal(shouldFail.keySet()), TIMEOUT);
            // anything written twice would show up shortly after
            Map<String, List<JobEvent>> byJob = byJob(events.readFor(Duration.ofMillis(500)), shouldFail.keySet());

            assertThat(byJob).hasSize(50);
            byJob.forEach((jobId, jobEvents) -> {
                assertThat(jobEvents).as("events of %s", jobId).hasSize(2);
                assertThat(jobEvents.get(0).getEvent()).as("first event of %s", jobId)
                        .isInstanceOfSatisfying(JobStarted.class, started -> {
                            assertThat(started.getAttempt()).isEqualTo(1);
                            assertThat(started.getWorker()).isEqualTo("it-worker");
                            assertThat(started.getJobId()).isEqualTo(jobId);
                        });
                JobStarted started = (JobStarted) jobEvents.get(0).getEvent();
                Object terminal = jobEvents.get(1).getEvent();
                if (shouldFail.get(jobId)) {
                    assertThat(terminal).as("terminal event of %s", jobId).isInstanceOfSatisfying(JobFailed.class,
                            failed -> {
                                assertThat(failed.getAttempt()).isEqualTo(1);
                                assertThat(failed.getStartedAt()).isEqualTo(started.getStartedAt());
                                assertThat(failed.getFinishedAt()).isAfter(started.getStartedAt());
                                assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.PIPELINE);
                                assertThat(failed.getFailure().getExitCode()).isEqualTo(1);
                                assertThat(failed.getFailure().getReason()).contains("mock");
                            });
                } else {
                    assertThat(terminal).as("terminal event of %s", jobId).isInstanceOfSatisfying(JobCompleted.class,
                            completed -> {
                                assertThat(completed.getAttempt()).isEqualTo(1);
                                assertThat(completed.getStartedAt()).isEqualTo(started.getStartedAt());
                                assertThat(completed.getFinishedAt()).isAfter(started.getStartedAt());
                            });
                }
            });
        }
    }

    @Test
    void aJobThatCannotStartFailsWithoutStarting() {
        List<String> jobIds = List.of("unknown-workflow", "bad-duration", "bad-outcome");
        try (KafkaProducer<String, JobCommand> producer = TestKafka.commandProducer(broker.getBrokersAsString())) {
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), "unknown-workflow",
                    submitted("unknown-workflow", "no-such-workflow", Map.of())));
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), "bad-duration",
                    submitted("bad-duration", "mock", Map.of(MockPipeline.DURATION_PARAMETER, "soon"))));
            producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), "bad-outcome",
                    submitted("bad-outcome", "mock", Map.of(MockPipeline.OUTCOME_PARAMETER, "maybe"))));
        }

        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString())) {
            events.until(allTerminal(jobIds), TIMEOUT);
            Map<String, List<JobEvent>> byJob = byJob(events.readFor(Duration.ofMillis(300)), jobIds);

            Map<String, String> reasonMustName = Map.of("unknown-workflow", "no-such-workflow",
                    "bad-duration", MockPipeline.DURATION_PARAMETER, "bad-outcome", MockPipeline.OUTCOME_PARAMETER);
            reasonMustName.forEach((jobId, named) -> assertThat(byJob.get(jobId)).as("events of %s", jobId)
                    .singleElement()
                    .satisfies(event -> assertThat(event.getEvent()).isInstanceOfSatisfying(JobFailed.class, failed -> {
                        assertThat(failed.getAttempt()).isEqualTo(1);
                        assertThat(failed.getStartedAt()).isNull();
                        assertThat(failed.getFinishedAt()).isNotNull();
                        assertThat(failed.getFailure().getKind()).isEqualTo(FailureKind.CANNOT_START);
                        assertThat(failed.getFailure().getReason()).contains(named);
                        assertThat(failed.getFailure().getExitCode()).isNull();
                    })));
        }
    }

    @Test
    void isReadyWhileTheBrokerAnswers() {
        web.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.broker.status").isEqualTo("UP");
        web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
