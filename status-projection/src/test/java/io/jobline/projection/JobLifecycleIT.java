package io.jobline.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.projection.query.JobLogJson;
import io.jobline.projection.query.JobPageJson;
import io.jobline.projection.query.JobViewJson;
import io.jobline.projection.security.InternalKey;
import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobOutput;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Progress;
import io.jobline.schemas.Topics;

/**
 * Cancel, retry, progress, heartbeats and logs through the projection: records written by plain producers with
 * the topics' serdes, as the services write them, on a real in-process KRaft broker; read over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=status-projection", "jobline.topics.partitions=3",
                "jobline.topics.logs-retention-ms=3600000", InternalKeys.PROPERTY})
@EmbeddedKafka(count = 1, partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext // close Streams before the broker goes, not in a race at JVM exit
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobLifecycleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void stateDir(DynamicPropertyRegistry registry) throws IOException {
        Path stateDir = Files.createDirectories(Path.of("target", "it-state", "lifecycle-" + UUID.randomUUID()));
        registry.add("jobline.projection.state-dir", stateDir::toString);
    }

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Autowired
    StreamsBuilderFactoryBean streams;

    private final AtomicLong sequence = new AtomicLong();
    private WebTestClient http;
    private KafkaProducer<String, JobCommand> commands;
    private KafkaProducer<String, JobEvent> events;
    private KafkaProducer<String, JobLogChunk> logs;

    @BeforeAll
    void setUp() {
        http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(WAIT)
                .defaultHeader(InternalKey.HEADER, InternalKeys.KEY).build();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0);
        commands = new KafkaProducer<>(config, Topics.COMMANDS.keySerde().serializer(), Topics.COMMANDS.valueSerde().serializer());
        events = new KafkaProducer<>(config, Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
        logs = new KafkaProducer<>(config, Topics.LOGS.keySerde().serializer(), Topics.LOGS.valueSerde().serializer());
        await("Kafka Streams runs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> streams.getKafkaStreams() != null && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    void tearDown() {
        commands.close(Duration.ofSeconds(5));
        events.close(Duration.ofSeconds(5));
        logs.close(Duration.ofSeconds(5));
    }

    @Test
    void theLogsTopicIsCreatedWithTheOthersAndTheConfiguredRetention() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var topics = admin.describeTopics(List.of(Topics.LOGS.name(), Topics.COMMANDS.name())).allTopicNames().get();
            assertThat(topics.get(Topics.LOGS.name()).partitions()).hasSize(3);
            assertThat(topics.get(Topics.COMMANDS.name()).partitions()).hasSize(3);
            ConfigResource logsTopic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.LOGS.name());
            Config config = admin.describeConfigs(List.of(logsTopic)).all().get().get(logsTopic);
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("3600000");
        }
    }

    @Test
    void aFreshJobShowsTheNewFieldsAsNullsAndAnEmptyOutputList() throws Exception {
        String id = newJobId();
        submit(id);
        byte[] body = http.get().uri("/internal/jobs/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent();
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"status\":\"PENDING\"", "\"progress\":null",
                "\"outputs\":[]", "\"lastHeartbeatAt\":null", "\"cancelRequestedAt\":null", "\"cancelRequestedBy\":null");
    }

    @Test
    void cancelThenRetryRunsTheJobAgainAsAttemptTwo() throws Exception {
        String id = newJobId();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        submit(id);
        event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(t).setWorker("worker-a").build());
        event(id, JobProgress.newBuilder().setJobId(id).setAttempt(1)
                .setProgress(Progress.newBuilder().setDone(3).setTotal(7).build()).setAt(t.plusSeconds(1)).build());
        JobViewJson progressed = awaitView(id, "progress 3 of 7",
                view -> view.progress() != null && view.progress().done() == 3);
        assertThat(progressed.status()).isEqualTo("RUNNING");
        assertThat(progressed.attempt()).isEqualTo(1);
        assertThat(progressed.progress().total()).isEqualTo(7);
        assertThat(progressed.lastHeartbeatAt()).isEqualTo(t.plusSeconds(1)); // progress is a sign of life
        assertThat(progressed.worker()).isEqualTo("worker-a");

        event(id, JobHeartbeat.newBuilder().setJobId(id).setAttempt(1).setWorker("worker-a").setAt(t.plusSeconds(5)).build());
        awaitView(id, "the heartbeat", view -> t.plusSeconds(5).equals(view.lastHeartbeatAt()));

        command(id, JobCancelRequested.newBuilder().setJobId(id).setRequestedBy("bob").setRequestedAt(t.plusSeconds(6))
                .setRequestId("cancel-" + id).build());
        JobViewJson cancelling = awaitView(id, "CANCELLING", view -> view.status().equals("CANCELLING"));
        assertThat(cancelling.cancelRequestedAt()).isEqualTo(t.plusSeconds(6));
        assertThat(cancelling.cancelRequestedBy()).isEqualTo("bob");
        assertThat(cancelling.progress().done()).isEqualTo(3);
        assertThat(listIds("CANCELLING")).contains(id);
        assertThat(listIds("RUNNING")).doesNotContain(id);

        event(id, JobCancelled.newBuilder().setJobId(id).setAttempt(1).setStartedAt(t).setCancelledAt(t.plusSeconds(7))
                .setRequestedBy("bob").setLogTail(List.of("Terminating processes on user request")).build());
        JobViewJson cancelled = awaitView(id, "CANCELLED", view -> view.status().equals("CANCELLED"));
        assertThat(cancelled.finishedAt()).isEqualTo(t.plusSeconds(7));
        assertThat(cancelled.attempt()).isEqualTo(1);
        assertThat(listIds("CANCELLING")).doesNotContain(id);
        assertThat(listIds("CANCELLED")).contains(id);

        command(id, retry(id, 2, t.plusSeconds(8)));
        JobViewJson pending = awaitView(id, "PENDING again", view -> view.status().equals("PENDING"));
        assertThat(pending.attempt()).isEqualTo(2);
        assertThat(pending.progress()).isNull();
        assertThat(pending.lastHeartbeatAt()).isNull();
        assertThat(pending.cancelRequestedAt()).isNull();
        assertThat(pending.cancelRequestedBy()).isNull();
        assertThat(pending.startedAt()).isNull();
        assertThat(pending.finishedAt()).isNull();
        assertThat(pending.worker()).isNull();
        assertThat(pending.owner()).isEqualTo("alice");

        event(id, JobStarted.newBuilder().setJobId(id).setAttempt(2).setStartedAt(t.plusSeconds(9)).setWorker("worker-b").build());
        JobViewJson running = awaitView(id, "RUNNING attempt 2", view -> view.status().equals("RUNNING"));
        assertThat(running.attempt()).isEqualTo(2);
        assertThat(running.worker()).isEqualTo("worker-b");
        assertThat(running.startedAt()).isEqualTo(t.plusSeconds(9));

        event(id, JobCompleted.newBuilder().setJobId(id).setAttempt(2).setStartedAt(t.plusSeconds(9))
                .setFinishedAt(t.plusSeconds(12))
                .setOutputs(List.of(JobOutput.newBuilder().setPath("results/counts.txt").setSizeBytes(123).build()))
                .build());
        awaitView(id, "COMPLETED", view -> view.status().equals("COMPLETED"));
        http.get().uri("/internal/jobs/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.attempt").isEqualTo(2)
                .jsonPath("$.outputs.length()").isEqualTo(1)
                .jsonPath("$.outputs[0].path").isEqualTo("results/counts.txt")
                .jsonPath("$.outputs[0].sizeBytes").isEqualTo(123)
                .jsonPath("$.cancelRequestedBy").isEmpty();
    }

    @Test
    void aPendingJobIsCancelledWithoutStarting() throws Exception {
        String id = newJobId();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        submit(id);
        command(id, JobCancelRequested.newBuilder().setJobId(id).setRequestedBy("bob").setRequestedAt(t)
                .setRequestId("cancel-" + id).build());
        awaitView(id, "CANCELLING", view -> view.status().equals("CANCELLING"));
        event(id, JobCancelled.newBuilder().setJobId(id).setAttempt(1).setStartedAt(null).setCancelledAt(t.plusSeconds(1))
                .setRequestedBy("bob").build());

        JobViewJson cancelled = awaitView(id, "CANCELLED", view -> view.status().equals("CANCELLED"));
        assertThat(cancelled.startedAt()).isNull();
        assertThat(cancelled.worker()).isNull();
        assertThat(cancelled.finishedAt()).isEqualTo(t.plusSeconds(1));
        assertThat(cancelled.cancelRequestedAt()).isEqualTo(t);
    }

    @Test
    void theLogsOfEachAttemptAreReadSeparatelyWithATail() throws Exception {
        String id = newJobId();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        submit(id);

        // a known job with no lines yet
        http.get().uri("/internal/jobs/{id}/logs", id).exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"jobId\":\"" + id + "\",\"attempt\":0,\"firstLine\":1,\"lines\":[],\"totalLines\":0}");

        // attempt 1 writes 25 lines in three chunks before its start is folded; it fails; attempt 2 writes 12
        chunk(id, 1, 1, 10, t);
        chunk(id, 1, 11, 10, t);
        chunk(id, 1, 21, 5, t);
        JobLogJson beforeStart = awaitLogs(id, "", logs -> logs.totalLines() == 25);
        assertThat(beforeStart.attempt()).isEqualTo(1); // attempt 0 in the view: the highest attempt with lines
        assertThat(beforeStart.lines()).containsExactlyElementsOf(lines(1, 1, 25));

        event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(t).setWorker("worker-a").build());
        event(id, JobFailed.newBuilder().setJobId(id).setAttempt(1).setStartedAt(t)
                .setFinishedAt(t.plusSeconds(1))
                .setFailure(Failure.newBuilder().setKind(FailureKind.PIPELINE)
                        .setReason("rule count failed").setExitCode(1).setLogTail(lines(1, 21, 25)).build())
                .build());
        awaitView(id, "FAILED", view -> view.status().equals("FAILED"));
        http.get().uri("/internal/jobs/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.failure.logTail.length()").isEqualTo(5)
                .jsonPath("$.failure.logTail[4]").isEqualTo("attempt 1 line 25");

        command(id, retry(id, 2, t.plusSeconds(2)));
        event(id, JobStarted.newBuilder().setJobId(id).setAttempt(2).setStartedAt(t.plusSeconds(3)).setWorker("worker-b").build());
        awaitView(id, "RUNNING attempt 2", view -> view.status().equals("RUNNING") && view.attempt() == 2);
        chunk(id, 2, 1, 8, t.plusSeconds(3));
        chunk(id, 2, 9, 4, t.plusSeconds(4));

        JobLogJson current = awaitLogs(id, "", logs -> logs.totalLines() == 12);
        assertThat(current.attempt()).isEqualTo(2); // the current attempt by default
        assertThat(current.firstLine()).isEqualTo(1);
        assertThat(current.lines()).containsExactlyElementsOf(lines(2, 1, 12));

        JobLogJson currentTail = logs(id, "?tail=3");
        assertThat(currentTail.lines()).containsExactlyElementsOf(lines(2, 10, 12));
        assertThat(currentTail.firstLine()).isEqualTo(10);
        assertThat(currentTail.totalLines()).isEqualTo(12);

        JobLogJson first = logs(id, "?attempt=1");
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.lines()).containsExactlyElementsOf(lines(1, 1, 25));
        JobLogJson firstTail = logs(id, "?attempt=1&tail=7");
        assertThat(firstTail.lines()).containsExactlyElementsOf(lines(1, 19, 25));
        assertThat(firstTail.firstLine()).isEqualTo(19);
        assertThat(firstTail.totalLines()).isEqualTo(25);

        JobLogJson third = logs(id, "?attempt=3");
        assertThat(third.lines()).isEmpty();
        assertThat(third.totalLines()).isZero();
    }

    @Test
    void logsOfAnUnknownJobOrWithBadParametersAreProblems() throws Exception {
        String unknown = newJobId();
        chunk(unknown, 1, 1, 3, Instant.now()); // lines without a job: still not a job
        http.get().uri("/internal/jobs/{id}/logs", unknown).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);

        String id = newJobId();
        submit(id);
        for (String query : List.of("attempt=0", "attempt=x", "tail=0", "tail=10001", "tail=x")) {
            String parameter = query.substring(0, query.indexOf('='));
            http.get().uri("/internal/jobs/" + id + "/logs?" + query).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith(parameter));
        }
    }

    private JobViewJson awaitView(String id, String what, Predicate<JobViewJson> condition) {
        return await(id + ": " + what).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> http.get().uri("/internal/jobs/{id}", id).exchange().expectStatus().isOk()
                        .expectBody(JobViewJson.class).returnResult().getResponseBody(), condition::test);
    }

    private JobLogJson awaitLogs(String id, String query, Predicate<JobLogJson> condition) {
        return await("logs of " + id + query).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> logs(id, query), condition::test);
    }

    private JobLogJson logs(String id, String query) {
        return http.get().uri("/internal/jobs/" + id + "/logs" + query).exchange()
                .expectStatus().isOk()
                .expectBody(JobLogJson.class).returnResult().getResponseBody();
    }

    private List<String> listIds(String status) {
        var result = http.get().uri("/internal/jobs?limit=500&status=" + status).exchange()
                .expectBody(JobPageJson.class).returnResult();
        assertThat(result.getStatus().value()).isEqualTo(HttpStatus.OK.value());
        return result.getResponseBody().items().stream().map(JobViewJson::id).toList();
    }

    private void submit(String id) throws Exception {
        command(id, JobSubmitted.newBuilder().setJobId(id).setOwner("alice").setWorkflow("wordcount")
                .setParameters(Map.of("words", "5")).setSubmittedAt(Instant.now()).setRequestId("submit-" + id).build());
    }

    private void command(String id, Object payload) throws Exception {
        commands.send(new ProducerRecord<>(Topics.COMMANDS.name(), id,
                JobCommand.newBuilder().setJobId(id).setCommand(payload).build())).get();
    }

    private void event(String id, Object payload) throws Exception {
        events.send(new ProducerRecord<>(Topics.EVENTS.name(), id,
                JobEvent.newBuilder().setJobId(id).setEvent(payload).build())).get();
    }

    private void chunk(String id, int attempt, long firstLine, int count, Instant at) throws Exception {
        logs.send(new ProducerRecord<>(Topics.LOGS.name(), id, JobLogChunk.newBuilder().setJobId(id).setAttempt(attempt)
                .setFirstLine(firstLine).setLines(lines(attempt, firstLine, firstLine + count - 1)).setAt(at).build())).get();
    }

    private static JobRetryRequested retry(String id, int attempt, Instant at) {
        return JobRetryRequested.newBuilder().setJobId(id).setAttempt(attempt).setOwner("alice").setWorkflow("wordcount")
                .setParameters(Map.of("words", "5")).setRequestedBy("alice").setRequestedAt(at)
                .setRequestId("retry-" + attempt + "-" + id).setAutomatic(false).build();
    }

    private static List<String> lines(int attempt, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(n -> "attempt " + attempt + " line " + n).toList();
    }

    /** A UUIDv7 for now, unique within this class. */
    private String newJobId() {
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | (sequence.incrementAndGet() & 0xFFF);
        return new UUID(msb, 0x8000000000000000L | (UUID.randomUUID().getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL))
                .toString();
    }
}
