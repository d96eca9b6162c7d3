package io.jobline.processor;

import static io.jobline.processor.TestKafka.allTerminal;
import static io.jobline.processor.TestKafka.byJob;
import static io.jobline.processor.TestKafka.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import io.jobline.processor.pipeline.MockPipeline;
import io.jobline.processor.runner.JobRunner;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.Topics;

/** Cancel, retry, progress and logs through the real processor on a real broker, one job slot. */
@SpringBootTest(properties = {
        "spring.config.name=job-processor",
        "server.port=0",
        "jobline.processor.worker-id=cancel-it",
        "jobline.processor.max-concurrent-jobs=1",
        "jobline.processor.report-interval=100ms",
        "jobline.topics.partitions=2",
        "jobline.supervisor.max-attempts=3",
        "jobline.supervisor.first-backoff=100ms",
        "jobline.supervisor.check-interval=100ms"})
@EmbeddedKafka(count = 1, brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
@DirtiesContext
class CancelRetryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    JobRunner runner;

    private KafkaProducer<String, JobCommand> producer;

    @BeforeEach
    void connect() {
        producer = TestKafka.commandProducer(broker.getBrokersAsString());
    }

    @AfterEach
    void disconnect() {
        producer.close();
    }

    @Test
    void aRunningJobIsCancelledByWhoeverAskedAndFreesItsSlot() throws Exception {
        send("running-1", submitted("running-1", "mock", Map.of(MockPipeline.DURATION_PARAMETER, "60000")));
        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString())) {
            events.until(records -> records.stream().anyMatch(r -> r.key().equals("running-1")
                    && r.value().getEvent() instanceof JobStarted), TIMEOUT);
            long askedAt = System.nanoTime();
            send("running-1", TestKafka.cancel("running-1", "alice"));

            events.until(allTerminal(Set.of("running-1")), TIMEOUT);
            System.out.printf("cancel of a running mock job took %d ms%n", (System.nanoTime() - askedAt) / 1_000_000);
            List<JobEvent> lifecycle = byJob(events.readFor(Duration.ofMillis(300)), Set.of("running-1"))
                    .get("running-1");
            assertThat(lifecycle).hasSize(2);
            assertThat(lifecycle.get(1).getEvent()).isInstanceOfSatisfying(JobCancelled.class, cancelled -> {
                assertThat(cancelled.getAttempt()).isEqualTo(1);
                assertThat(cancelled.getRequestedBy()).isEqualTo("alice");
                assertThat(cancelled.getStartedAt()).isNotNull();
            });
        }
        assertThat(runner.runningJobs()).isZero();
    }

    @Test
    void aJobCancelledWhilePendingNeverStarts() throws Exception {
        send("blocker", submitted("blocker", "mock", Map.of(MockPipeline.DURATION_PARAMETER, "60000")));
        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString())) {
            events.until(records -> records.stream().anyMatch(r -> r.key().equals("blocker")
                    && r.value().getEvent() instanceof JobStarted), TIMEOUT);
            send("pending-1", submitted("pending-1", "mock", Map.of(MockPipeline.DURATION_PARAMETER, "10")));
            send("pending-1", TestKafka.cancel("pending-1", "bob"));
            send("blocker", TestKafka.cancel("blocker", "bob"));

            events.until(allTerminal(Set.of("blocker", "pending-1")), TIMEOUT);
            List<JobEvent> pending = byJob(events.readFor(Duration.ofMillis(300)), Set.of("pending-1"))
                    .get("pending-1");
            assertThat(pending).singleElement().satisfies(event -> assertThat(event.getEvent())
                    .isInstanceOfSatisfying(JobCancelled.class, cancelled -> {
                        assertThat(cancelled.getStartedAt()).isNull();
                        assertThat(cancelled.getRequestedBy()).isEqualTo("bob");
                    }));
        }
    }

    @Test
    void aRetryRunsTheNextAttemptOfTheJob() throws Exception {
        Map<String, String> failing = Map.of(MockPipeline.DURATION_PARAMETER, "10", MockPipeline.OUTCOME_PARAMETER,
                "fail");
        send("retried-1", submitted("retried-1", "mock", failing));
        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString())) {
            events.until(allTerminal(Set.of("retried-1")), TIMEOUT);
            send("retried-1", TestKafka.retry("retried-1", 2, "mock", Map.of(MockPipeline.DURATION_PARAMETER, "10")));

            events.until(records -> records.stream().anyMatch(r -> r.key().equals("retried-1")
                    && r.value().getEvent() instanceof JobCompleted), TIMEOUT);
            List<JobEvent> lifecycle = byJob(events.readFor(Duration.ofMillis(300)), Set.of("retried-1"))
                    .get("retried-1");
            assertThat(lifecycle).extracting(e -> e.getEvent().getClass().getSimpleName())
                    .containsExactly("JobStarted", "JobFailed", "JobStarted", "JobCompleted");
            assertThat(((JobStarted) lifecycle.get(2).getEvent()).getAttempt()).isEqualTo(2);
            assertThat(((JobCompleted) lifecycle.get(3).getEvent()).getAttempt()).isEqualTo(2);
        }
    }

    @Test
    void aJobThatCannotStartIsRetriedAutomaticallyUntilItRunsOutOfAttempts() throws Exception {
        send("no-pipeline", submitted("no-pipeline", "no-such-workflow", Map.of()));
        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString());
                TestKafka.Log<JobCommand> commands = TestKafka.commands(broker.getBrokersAsString())) {
            events.until(records -> records.stream().filter(r -> r.key().equals("no-pipeline")
                    && r.value().getEvent() instanceof JobFailed).count() == 3, TIMEOUT);
            List<JobEvent> failures = byJob(events.readFor(Duration.ofSeconds(1)), Set.of("no-pipeline"))
                    .get("no-pipeline");
            assertThat(failures).hasSize(3).allSatisfy(event -> assertThat(event.getEvent())
                    .isInstanceOfSatisfying(JobFailed.class, failed -> assertThat(failed.getFailure().getKind())
                            .isEqualTo(FailureKind.CANNOT_START)));
            assertThat(failures).extracting(e -> ((JobFailed) e.getEvent()).getAttempt()).containsExactly(1, 2, 3);
            List<JobRetryRequested> retries = commands.readFor(Duration.ofMillis(200)).stream()
                    .filter(r -> r.key().equals("no-pipeline"))
                    .map(ConsumerRecord::value).map(JobCommand::getCommand)
                    .filter(JobRetryRequested.class::isInstance).map(JobRetryRequested.class::cast).toList();
            assertThat(retries).extracting(JobRetryRequested::getAttempt).containsExactly(2, 3);
            assertThat(retries).allSatisfy(retry -> {
                assertThat(retry.getAutomatic()).isTrue();
                assertThat(retry.getRequestedBy()).isEqualTo("jobline");
                assertThat(retry.getWorkflow()).isEqualTo("no-such-workflow");
                assertThat(retry.getReason()).contains("CANNOT_START");
            });
        }
    }

    @Test
    void aRunningJobReportsItsProgressInOrderAndItsOutputLines() throws Exception {
        send("reporting-1", submitted("reporting-1", "mock", Map.of(MockPipeline.DURATION_PARAMETER, "1200")));
        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString());
                TestKafka.Log<JobLogChunk> logs = TestKafka.logs(broker.getBrokersAsString())) {
            List<ConsumerRecord<String, JobEvent>> all = events.until(allTerminal(Set.of("reporting-1")), TIMEOUT);
            List<JobProgress> progress = all.stream().filter(r -> r.key().equals("reporting-1"))
                    .map(r -> r.value().getEvent()).filter(JobProgress.class::isInstance)
                    .map(JobProgress.class::cast).toList();
            assertThat(progress).isNotEmpty();
            assertThat(progress).extracting(p -> p.getProgress().getDone()).isSorted();
            assertThat(progress.get(progress.size() - 1).getProgress().getDone())
                    .isEqualTo(progress.get(progress.size() - 1).getProgress().getTotal());
            int terminalIndex = indexOfTerminal(all, "reporting-1");
            assertThat(all.subList(terminalIndex, all.size())).noneMatch(r -> r.key().equals("reporting-1")
                    && r.value().getEvent() instanceof JobProgress);

            List<JobLogChunk> chunks = logs.until(records -> !records.isEmpty(), TIMEOUT).stream()
                    .filter(r -> r.key().equals("reporting-1")).map(ConsumerRecord::value).toList();
            long expectedLine = 1;
            for (JobLogChunk chunk : chunks) {
                assertThat(chunk.getAttempt()).isEqualTo(1);
                assertThat(chunk.getFirstLine()).isEqualTo(expectedLine);
                expectedLine += chunk.getLines().size();
            }
            assertThat(chunks.stream().flatMap(c -> c.getLines().stream())).anyMatch(line -> line.contains("step 4"));
        }
    }

    private static int indexOfTerminal(List<ConsumerRecord<String, JobEvent>> records, String jobId) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).key().equals(jobId) && TestKafka.isTerminal(records.get(i).value())) {
                return i;
            }
        }
        throw new AssertionError("no terminal event of " + jobId);
    }

    private void send(String jobId, JobCommand command) throws Exception {
        producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), jobId, command)).get();
    }
}
