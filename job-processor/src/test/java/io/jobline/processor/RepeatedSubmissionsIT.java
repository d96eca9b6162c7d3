package io.jobline.processor;

import static io.jobline.processor.TestKafka.allTerminal;
import static io.jobline.processor.TestKafka.byJob;
import static io.jobline.processor.TestKafka.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import io.jobline.processor.pipeline.MockPipeline;
import io.jobline.schemas.Idempotency;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.Partitions;
import io.jobline.schemas.Topics;

/**
 * Submissions repeated by the command API (the same owner and Idempotency-Key, or the same job id) run once. The job
 * ids are chosen as the API chooses them, on the partition of the key, and each test ends with a marker job on that
 * partition: the processor handles a partition in order, so once the marker has ended, the repeat was handled too.
 * The processor runs without its web side, so that it can be restarted in this JVM.
 */
@EmbeddedKafka(count = 1,
        brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
class RepeatedSubmissionsIT {

    private static final int PARTITIONS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, String> QUICK = Map.of(MockPipeline.DURATION_PARAMETER, "10");

    private static String bootstrap;
    private static KafkaProducer<String, JobCommand> producer;
    private static ConfigurableApplicationContext processor;

    @BeforeAll
    static void startProcessor(EmbeddedKafkaBroker broker) {
        bootstrap = broker.getBrokersAsString();
        producer = TestKafka.commandProducer(bootstrap);
        processor = processor("repeats-1");
    }

    @AfterAll
    static void stopProcessor() {
        processor.close();
        producer.close();
    }

    @Test
    void ofTwoSubmissionsWithTheSameOwnerAndKeyOnlyTheFirstRuns() throws Exception {
        String storeKey = Idempotency.storeKey("alice", "key-1");
        String first = jobIdOnPartitionOf(storeKey);
        String second = jobIdOnPartitionOf(storeKey);
        Instant now = Instant.now();
        send(first, submitted(first, "alice", "key-1", now, QUICK));
        send(second, submitted(second, "alice", "key-1", now.plusMillis(3), QUICK));

        Map<String, List<JobEvent>> events = eventsAfterMarker(storeKey, Set.of(first));

        assertThat(events.get(first)).extracting(TestKafka::describe).containsExactly("JobStarted", "JobCompleted");
        assertThat(events).doesNotContainKey(second);
    }

    @Test
    void theSameKeyOfAnotherOwnerIsAnotherJob() throws Exception {
        String aliceKey = Idempotency.storeKey("alice", "key-2");
        String alices = jobIdOnPartitionOf(aliceKey);
        String bobs = jobIdOnPartitionOf(aliceKey); // same partition: only the owner tells them apart
        Instant now = Instant.now();
        send(alices, submitted(alices, "alice", "key-2", now, QUICK));
        send(bobs, submitted(bobs, "bob", "key-2", now, QUICK));

        Map<String, List<JobEvent>> events = eventsAfterMarker(aliceKey, Set.of(alices, bobs));

        assertThat(events.get(alices)).extracting(TestKafka::describe).containsExactly("JobStarted", "JobCompleted");
        assertThat(events.get(bobs)).extracting(TestKafka::describe).containsExactly("JobStarted", "JobCompleted");
    }

    @Test
    void aJobIdSubmittedTwiceRunsOnce() throws Exception {
        String jobId = UUID.randomUUID().toString();
        JobCommand submission = submitted(jobId, "mock", QUICK);
        send(jobId, submission);
        send(jobId, submission);

        Map<String, List<JobEvent>> events = eventsAfterMarker(jobId, Set.of(jobId));

        assertThat(events.get(jobId)).extracting(TestKafka::describe).containsExactly("JobStarted", "JobCompleted");
    }

    @Test
    void aKeyUsedAgainAfterTheWindowMakesANewJob() throws Exception {
        String storeKey = Idempotency.storeKey("alice", "key-3");
        String yesterdays = jobIdOnPartitionOf(storeKey);
        String todays = jobIdOnPartitionOf(storeKey);
        Instant now = Instant.now();
        send(yesterdays, submitted(yesterdays, "alice", "key-3", now.minus(Idempotency.WINDOW).minusSeconds(1),
                QUICK));
        send(todays, submitted(todays, "alice", "key-3", now, QUICK));

        Map<String, List<JobEvent>> events = eventsAfterMarker(storeKey, Set.of(yesterdays, todays));

        assertThat(events.get(yesterdays)).extracting(TestKafka::describe)
                .containsExactly("JobStarted", "JobCompleted");
        assertThat(events.get(todays)).extracting(TestKafka::describe).containsExactly("JobStarted", "JobCompleted");
    }

    @Test
    void aRestartedProcessorKnowsTheSubmissionsBeforeItsGroupsCommittedOffset() throws Exception {
        String storeKey = Idempotency.storeKey("alice", "key-4");
        String first = jobIdOnPartitionOf(storeKey);
        Instant now = Instant.now();
        send(first, submitted(first, "alice", "key-4", now, QUICK));
        try (TestKafka.Log<JobEvent> events = TestKafka.events(bootstrap)) {
            // its JobStarted committed with the offset of its submission
            events.until(allTerminal(Set.of(first)), TIMEOUT);
        }

        processor.close();
        processor = processor("repeats-2");
        String second = jobIdOnPartitionOf(storeKey);
        send(second, submitted(second, "alice", "key-4", now.plusSeconds(1), QUICK));

        Map<String, List<JobEvent>> events = eventsAfterMarker(storeKey, Set.of(first));

        assertThat(events.get(first)).extracting(TestKafka::describe).containsExactly("JobStarted", "JobCompleted");
        assertThat(events).doesNotContainKey(second);
    }

    private static ConfigurableApplicationContext processor(String workerId) {
        return JobProcessorApplication.application().run(
                "--spring.main.web-application-type=none",
                "--jobline.processor.worker-id=" + workerId,
                "--jobline.topics.partitions=" + PARTITIONS,
                "--jobline.supervisor.max-attempts=1");
    }

    /**
     * Writes a marker job on the partition of the key, waits until it and the given jobs have ended, and returns the
     * lifecycle events of every job written so far, by job.
     */
    private static Map<String, List<JobEvent>> eventsAfterMarker(String key, Set<String> jobs) throws Exception {
        String marker = jobIdOnPartitionOf(key);
        send(marker, submitted(marker, "mock", QUICK));
        try (TestKafka.Log<JobEvent> events = TestKafka.events(bootstrap)) {
            events.until(allTerminal(Stream.concat(jobs.stream(), Stream.of(marker)).toList()), TIMEOUT);
            List<ConsumerRecord<String, JobEvent>> all = events.readToEnd();
            return byJob(all, all.stream().map(ConsumerRecord::key).toList());
        }
    }

    /** A job id on the partition of the key, as the command API picks the id of a submission with a key. */
    private static String jobIdOnPartitionOf(String key) {
        String jobId;
        do {
            jobId = UUID.randomUUID().toString();
        } while (Partitions.of(jobId, PARTITIONS) != Partitions.of(key, PARTITIONS));
        return jobId;
    }

    private static void send(String jobId, JobCommand command) throws Exception {
        producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), jobId, command)).get();
    }
}
