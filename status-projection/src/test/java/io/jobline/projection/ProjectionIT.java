package io.jobline.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.util.FileSystemUtils;

import io.jobline.projection.idempotency.IdempotencyWatches;
import io.jobline.projection.query.IdempotencyJson;
import io.jobline.projection.query.JobLogJson;
import io.jobline.projection.query.JobPageJson;
import io.jobline.projection.query.JobViewJson;
import io.jobline.projection.query.ReadYourWrites;
import io.jobline.projection.security.InternalKey;
import io.jobline.projection.watch.JobWatches;
import io.jobline.schemas.Failure;
import io.jobline.schemas.Idempotency;
import io.jobline.schemas.Partitions;
import io.jobline.schemas.deadletter.DeadLetters;
import io.jobline.schemas.deadletter.StreamsDeadLetterHandler;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The projection against a real in-process KRaft broker, with exactly_once_v2, over real HTTP. The methods
 * build on each other (one broker, one application), hence the order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=status-projection", "jobline.topics.partitions=3", InternalKeys.PROPERTY})
@EmbeddedKafka(count = 1, partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext // close Streams before the broker goes, not in a race at JVM exit
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectionIT {

    private static final int JOBS = 200;
    private static Path stateDir;

    /** Under target/, so that it outlives the application context (closed after this class) and `clean` removes it. */
    @DynamicPropertySource
    static void stateDir(DynamicPropertyRegistry registry) throws IOException {
        stateDir = Files.createDirectories(Path.of("target", "it-state", "first-" + UUID.randomUUID()));
        registry.add("jobline.projection.state-dir", stateDir::toString);
    }

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Autowired
    StreamsBuilderFactoryBean streams;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JobWatches watches;

    @Autowired
    IdempotencyWatches idempotencyWatches;

    /** Sends the internal key, as command-api does. */
    private WebTestClient http;
    private WebTestClient withoutKey;
    private KafkaProducer<String, JobCommand> commandProducer;
    private KafkaProducer<String, JobEvent> eventProducer;
    private KafkaProducer<String, JobLogChunk> logProducer;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, String> expectedStatus = new HashMap<>();
    private final Map<String, String> ownerOf = new HashMap<>();
    /** Idempotency store key → the job its first submission made. */
    private final Map<String, String> firstOfKey = new HashMap<>();

    @BeforeAll
    void setUp() {
        http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(20))
                .defaultHeader(InternalKey.HEADER, InternalKeys.KEY).build();
        withoutKey = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(20))
                .build();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0);
        commandProducer = new KafkaProducer<>(config, Topics.COMMANDS.keySerde().serializer(), Topics.COMMANDS.valueSerde().serializer());
        eventProducer = new KafkaProducer<>(config, Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
        logProducer = new KafkaProducer<>(config, Topics.LOGS.keySerde().serializer(), Topics.LOGS.valueSerde().serializer());
    }

    @AfterAll
    void tearDown() {
        commandProducer.close(Duration.ofSeconds(5));
        eventProducer.close(Duration.ofSeconds(5));
        logProducer.close(Duration.ofSeconds(5));
    }

    @Test
    @Order(1)
    void becomesReadyOnceStreamsRuns() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> state() == KafkaStreams.State.RUNNING);
        assertThat(streams.getStreamsConfiguration().getProperty("application.server")).isEqualTo("localhost:" + port);

        withoutKey.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        withoutKey.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    @Order(2)
    void aJobIsReadableRightAfterTheBrokerAcknowledgedItsSubmission() throws Exception {
        int misses = 0;
        long base = System.currentTimeMillis();
        for (int i = 0; i < JOBS; i++) {
            String id = uuid7(base, i);
            ids.add(id);
            expectedStatus.put(id, "PENDING");
            commandProducer.send(new ProducerRecord<>(Topics.COMMANDS.name(), id, submission(id, i))).get();

            var result = http.get().uri("/internal/jobs/{id}", id).exchange().expectBody(JobViewJson.class).returnResult();
            if (!result.getStatus().isSameCodeAs(HttpStatus.OK)) {
                misses++;
                continue;
            }
            JobViewJson view = result.getResponseBody();
            assertThat(view.id()).isEqualTo(id);
            assertThat(view.status()).isEqualTo("PENDING");
        }
        assertThat(misses).as("GETs right after the ack that did not find the job").isZero();
        // and none of them had to wait for the bound: the projection caught up while they waited
        assertThat(readYourWrites("timed-out")).isZero();
        assertThat(readYourWrites("unavailable")).isZero();

        byte[] body = http.get().uri("/internal/jobs/{id}", ids.get(7)).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.id").isEqualTo(ids.get(7))
                .jsonPath("$.owner").isEqualTo("owner-7")
                .jsonPath("$.workflow").isEqualTo("mock")
                .jsonPath("$.parameters.n").isEqualTo("7")
                .jsonPath("$.status").isEqualTo("PENDING")
                .jsonPath("$.attempt").isEqualTo(0)
                .jsonPath("$.submittedAt").isEqualTo("2026-11-29T08:00:00.007Z")
                .jsonPath("$.updatedAt").isNotEmpty()
                .jsonPath("$.version").isEqualTo(1)
                .returnResult().getResponseBodyContent();
        String json = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        // absent values are written as null, not left out
        assertThat(json).contains("\"startedAt\":null", "\"finishedAt\":null", "\"failure\":null", "\"worker\":null");
    }

    @Test
    @Order(3)
    void anUnknownJobIsNotFoundPromptly() {
        long started = System.nanoTime();
        http.get().uri("/internal/jobs/{id}", UUID.randomUUID()).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isLessThan(Duration.ofMillis(1500)); // the read-your-writes bound is 5 s
    }

    @Test
    @Order(4)
    void eventsMoveTheJobsAndTheListingsFollow() throws Exception {
        // every second job starts; of those, every third completes and every fifth fails
        for (int i = 0; i < JOBS; i += 2) {
            String id = ids.get(i);
            eventProducer.send(event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1)
                    .setStartedAt(Instant.now()).setWorker("worker-" + (i % 3)).build()));
            expectedStatus.put(id, "RUNNING");
            if (i % 3 == 0) {
                eventProducer.send(event(id, JobCompleted.newBuilder().setJobId(id).setAttempt(1)
                        .setStartedAt(Instant.now()).setFinishedAt(Instant.now()).build()));
                expectedStatus.put(id, "COMPLETED");
            } else if (i % 5 == 0) {
                eventProducer.send(event(id, JobFailed.newBuilder().setJobId(id).setAttempt(1)
                        .setStartedAt(Instant.now()).setFinishedAt(Instant.now())
                        .setFailure(Failure.newBuilder().setKind(FailureKind.PIPELINE)
                                .setReason("rule align failed").setExitCode(3).build())
                        .build()));
                expectedStatus.put(id, "FAILED");
            }
        }
        eventProducer.flush();

        String lastFailed = ids.stream().filter(id -> expectedStatus.get(id).equals("FAILED")).reduce((a, b) -> b).orElseThrow();
        awaitStatus(lastFailed, "FAILED");
        awaitListingSize("FAILED", count("FAILED"));
        awaitListingSize("COMPLETED", count("COMPLETED"));
        awaitListingSize("RUNNING", count("RUNNING"));

        http.get().uri("/internal/jobs/{id}", lastFailed).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("FAILED")
                .jsonPath("$.attempt").isEqualTo(1)
                .jsonPath("$.failure.kind").isEqualTo("PIPELINE")
                .jsonPath("$.failure.reason").isEqualTo("rule align failed")
                .jsonPath("$.failure.exitCode").isEqualTo(3)
                .jsonPath("$.startedAt").isNotEmpty()
                .jsonPath("$.finishedAt").isNotEmpty();

        for (String status : List.of("PENDING", "RUNNING", "COMPLETED", "FAILED")) {
            List<String> expected = ids.stream().filter(id -> expectedStatus.get(id).equals(status))
                    .sorted(Comparator.reverseOrder()).toList();
            assertThat(pageThrough(status, 7)).as("jobs in " + status).containsExactlyElementsOf(expected);
        }
        List<String> all = ids.stream().sorted(Comparator.reverseOrder()).toList();
        assertThat(pageThrough(null, 33)).containsExactlyElementsOf(all);
        assertThat(pageThrough(null, 500)).containsExactlyElementsOf(all);

        JobPageJson exactFit = list("FAILED", count("FAILED"), null);
        assertThat(exactFit.items()).hasSize((int) count("FAILED"));
        assertThat(exactFit.hasMore()).isFalse();
    }

    @Test
    @Order(5)
    void everyChangeIsOnTheJobStatusTopic() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "projection-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, JobStatusView> latest = new HashMap<>();
        int records = 0;
        try (var consumer = new KafkaConsumer<>(config, Topics.JOB_STATUS.keySerde().deserializer(),
                Topics.JOB_STATUS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.JOB_STATUS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!matchesExpected(latest) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, JobStatusView> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    assertThat(record.value().getJobId()).isEqualTo(record.key());
                    latest.merge(record.key(), record.value(),
                            (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
                }
            }
        }
        assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(matchesExpected(latest)).isTrue();
        long expectedChanges = ids.stream().mapToLong(id -> switch (expectedStatus.get(id)) {
            case "PENDING" -> 1;
            case "RUNNING" -> 2;
            default -> 3;
        }).sum();
        assertThat(records).isEqualTo(expectedChanges); // one record per change, none for nothing
        String completed = ids.stream().filter(id -> expectedStatus.get(id).equals("COMPLETED")).findFirst().orElseThrow();
        assertThat(latest.get(completed).getVersion()).isEqualTo(3);
        assertThat(latest.get(completed).getOwner()).startsWith("owner-");
    }

    @Test
    @Order(6)
    void listingsCombineWorkflowStatusAndTimeFiltersWithATotal() throws Exception {
        // 24 jobs of two new workflows, submitted an hour apart three days ago; every second one starts
        long base = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.HOURS).toEpochMilli() + 1234;
        List<String> fresh = new ArrayList<>();
        Map<String, String> workflowOf = new HashMap<>();
        for (int i = 0; i < 24; i++) {
            String id = uuid7(base + i * 3_600_000L, i);
            String workflow = i % 3 == 0 ? "alpha" : "beta";
            fresh.add(id);
            workflowOf.put(id, workflow);
            commandProducer.send(new ProducerRecord<>(Topics.COMMANDS.name(), id, submission(id, i, workflow))).get();
            expectedStatus.put(id, "PENDING");
            if (i % 2 == 0) {
                eventProducer.send(event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1)
                        .setStartedAt(Instant.now()).setWorker("worker-9").build())).get();
                expectedStatus.put(id, "RUNNING");
            }
        }
        ids.addAll(fresh);
        await("the new jobs are listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> listing("?workflow=beta&status=RUNNING").total() == 8
                        && listing("?workflow=alpha&status=RUNNING").total() == 4);

        JobPageJson alpha = listing("?workflow=alpha");
        assertThat(alpha.total()).isEqualTo(8);
        assertThat(alpha.items()).extracting(JobViewJson::id).containsExactlyElementsOf(
                fresh.stream().filter(id -> workflowOf.get(id).equals("alpha")).sorted(Comparator.reverseOrder()).toList());
        assertThat(alpha.items()).allMatch(view -> view.workflow().equals("alpha"));

        // jobs 5 to 10: submittedAfter is inclusive (job 5's own millisecond), submittedBefore exclusive
        String window = "submittedAfter=" + Instant.ofEpochMilli(base + 5 * 3_600_000L)
                + "&submittedBefore=" + Instant.ofEpochMilli(base + 11 * 3_600_000L);
        JobPageJson inWindow = listing("?" + window);
        assertThat(inWindow.total()).isEqualTo(6);
        assertThat(inWindow.items()).extracting(JobViewJson::id)
                .containsExactlyElementsOf(reversed(fresh.subList(5, 11)));
        JobPageJson betaRunningInWindow = listing("?workflow=beta&status=RUNNING&" + window);
        assertThat(betaRunningInWindow.items()).extracting(JobViewJson::id)
                .containsExactlyElementsOf(reversed(List.of(fresh.get(8), fresh.get(10))));
        assertThat(betaRunningInWindow.total()).isEqualTo(2);

        // paged with the cursor: the total stays the number of all matching jobs
        JobPageJson firstTwo = listing("?status=RUNNING&limit=2&" + window);
        assertThat(firstTwo.items()).extracting(JobViewJson::id).containsExactly(fresh.get(10), fresh.get(8));
        assertThat(firstTwo.hasMore()).isTrue();
        JobPageJson next = listing("?status=RUNNING&limit=2&" + window + "&after=" + fresh.get(8));
        assertThat(next.items()).extracting(JobViewJson::id).containsExactly(fresh.get(6));
        assertThat(next.hasMore()).isFalse();
        assertThat(List.of(firstTwo.total(), next.total())).containsOnly(3L);

        // one bound only: everything since job 20, which includes every job submitted earlier in this test class
        JobPageJson since = listing("?limit=500&submittedAfter=" + Instant.ofEpochMilli(base + 20 * 3_600_000L));
        assertThat(since.total()).isEqualTo(ids.size() - 20);
        assertThat(listing("?submittedBefore=" + Instant.ofEpochMilli(base)).total()).isZero();
        assertThat(listing("").total()).isEqualTo(ids.size());
        assertThat(listing("?status=PENDING").total()).isEqualTo(count("PENDING"));
    }

    @Test
    @Order(7)
    void theHistoryOfAJobIsEveryCommandAndEventInOrder() {
        int n = 0; // started and completed in eventsMoveTheJobsAndTheListingsFollow
        String id = ids.get(n);
        byte[] body = http.get().uri("/internal/jobs/{id}/history", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.jobId").isEqualTo(id)
                .jsonPath("$.hasMore").isEqualTo(false)
                .jsonPath("$.entries.length()").isEqualTo(3)
                .jsonPath("$.entries[*].type").isEqualTo(List.of("JobSubmitted", "JobStarted", "JobCompleted"))
                .jsonPath("$.entries[*].seq").isEqualTo(List.of(1, 2, 3))
                .jsonPath("$.entries[*].topic").isEqualTo(List.of("jobline.commands", "jobline.events", "jobline.events"))
                .jsonPath("$.entries[0].by").isEqualTo("owner-0")
                .jsonPath("$.entries[0].attempt").isEmpty()
                .jsonPath("$.entries[0].at").isEqualTo("2026-11-29T08:00:00Z")
                .jsonPath("$.entries[0].record.parameters.n").isEqualTo("0")
                .jsonPath("$.entries[0].record.requestId").isEqualTo("request-0")
                .jsonPath("$.entries[1].by").isEqualTo("worker-0")
                .jsonPath("$.entries[1].attempt").isEqualTo(1)
                .jsonPath("$.entries[2].record.outputs").isEmpty()
                .returnResult().getResponseBodyContent();
        assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).contains("\"partition\":", "\"offset\":", "\"timestamp\":");

        http.get().uri("/internal/jobs/{id}/history?after=1&limit=1", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.entries[*].type").isEqualTo(List.of("JobStarted"))
                .jsonPath("$.hasMore").isEqualTo(true);
        http.get().uri("/internal/jobs/{id}/history", UUID.randomUUID()).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @Order(8)
    void aLongPollAnswersOnceTheJobGetsThereWithoutHoldingAThread() throws Exception {
        String id = uuid7(System.currentTimeMillis(), 900);
        commandProducer.send(new ProducerRecord<>(Topics.COMMANDS.name(), id, submission(id, 900))).get();
        ids.add(id);
        expectedStatus.put(id, "COMPLETED");
        assertThat(getRetrying(http, id)).isEqualTo(HttpStatus.OK);

        // many clients wait at once; the server keeps answering others
        int waiters = 200;
        ConnectionProvider connections = ConnectionProvider.builder("long-polls").maxConnections(waiters + 10).build();
        WebClient client = WebClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader(InternalKey.HEADER, InternalKeys.KEY)
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections))).build();
        var answers = reactor.core.publisher.Flux.range(0, waiters)
                .flatMap(i -> client.get().uri("/internal/jobs/{id}?waitFor=COMPLETED&timeout=45s", id)
                        .retrieve().toEntity(JobViewJson.class), waiters)
                .collectList().toFuture();
        await("all long-polls wait").atMost(Duration.ofSeconds(30)).until(() -> watches.waiting() == waiters);
        http.get().uri("/internal/jobs/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("PENDING").jsonPath("$.version").isEqualTo(1);

        eventProducer.send(event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1)
                .setStartedAt(Instant.now()).setWorker("worker-1").build()));
        eventProducer.send(event(id, JobCompleted.newBuilder().setJobId(id).setAttempt(1)
                .setStartedAt(Instant.now()).setFinishedAt(Instant.now()).build()));
        var responses = answers.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(responses).hasSize(waiters).allSatisfy(response -> {
            assertThat(response.getStatusCode().value()).isEqualTo(200);
            assertThat(response.getHeaders().getFirst("Jobline-Wait")).isEqualTo("satisfied");
            assertThat(response.getBody().status()).isEqualTo("COMPLETED");
            assertThat(response.getBody().version()).isEqualTo(3);
        });
        assertThat(watches.waiting()).isZero();

        // already there: at once; not there by the timeout: the current view
        http.get().uri("/internal/jobs/{id}?waitFor=COMPLETED", id).exchange()
                .expectStatus().isOk().expectHeader().valueEquals("Jobline-Wait", "satisfied");
        http.get().uri("/internal/jobs/{id}?waitFor=FAILED&timeout=300ms", id).exchange()
                .expectStatus().isOk().expectHeader().valueEquals("Jobline-Wait", "timeout")
                .expectBody().jsonPath("$.status").isEqualTo("COMPLETED");
        // a change after a version already passed: at once
        http.get().uri("/internal/jobs/{id}?waitFor=change&version=1", id).exchange()
                .expectStatus().isOk().expectHeader().valueEquals("Jobline-Wait", "satisfied")
                .expectBody().jsonPath("$.version").isEqualTo(3);
        http.get().uri("/internal/jobs/{id}?waitFor=RUNNING", UUID.randomUUID()).exchange().expectStatus().isNotFound();

        // the next change of another job, whatever it is
        String other = uuid7(System.currentTimeMillis(), 901);
        commandProducer.send(new ProducerRecord<>(Topics.COMMANDS.name(), other, submission(other, 901))).get();
        ids.add(other);
        expectedStatus.put(other, "RUNNING");
        assertThat(getRetrying(http, other)).isEqualTo(HttpStatus.OK);
        var change = client.get().uri("/internal/jobs/{id}?waitFor=change&timeout=45s", other)
                .retrieve().toEntity(JobViewJson.class).toFuture();
        await("the long-poll waits").atMost(Duration.ofSeconds(30)).until(() -> watches.waiting() == 1);
        eventProducer.send(event(other, JobStarted.newBuilder().setJobId(other).setAttempt(1)
                .setStartedAt(Instant.now()).setWorker("worker-2").build()));
        var changed = change.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(changed.getHeaders().getFirst("Jobline-Wait")).isEqualTo("satisfied");
        assertThat(changed.getBody().status()).isEqualTo("RUNNING");
        assertThat(changed.getBody().version()).isEqualTo(2);
        connections.dispose();
    }

    @Test
    @Order(9)
    void badParametersAreProblems() {
        for (String query : List.of("status=BOGUS", "limit=0", "limit=501", "limit=ten", "after=not-an-id",
                "submittedAfter=monday", "submittedBefore=2026-11-29", "workflow=")) {
            String field = query.substring(0, query.indexOf('='));
            http.get().uri("/internal/jobs?" + query).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(400).jsonPath("$.detail").isNotEmpty()
                    .jsonPath("$.field").isEqualTo(field);
        }
        http.get().uri("/internal/jobs?status=running&limit=1&local=true").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.hasMore").isEqualTo(true);
    }

    @Test
    @Order(10)
    void everyEndpointButHealthAndInfoNeedsTheInternalKey() {
        String id = ids.get(0);
        List<String> guarded = List.of("/internal/jobs", "/internal/jobs?status=RUNNING", "/internal/jobs/" + id,
                "/internal/jobs/" + id + "/logs", "/internal/jobs/" + id + "/history",
                "/internal/jobs/" + id + "?waitFor=change&timeout=1s", "/internal/idempotency/" + "0".repeat(64),
                "/actuator", "/actuator/metrics", "/actuator/env", "/no/such/path");
        List<String> wrongKeys = List.of("", "wrong", InternalKeys.KEY + "x", InternalKeys.KEY.toUpperCase(),
                InternalKeys.KEY.substring(1), InternalKeys.KEY.repeat(100));
        for (String path : guarded) {
            String instance = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            assertUnauthenticated(withoutKey.get().uri(path).exchange(), instance, "send the internal key");
            for (String wrong : wrongKeys) {
                assertUnauthenticated(withoutKey.get().uri(path).header(InternalKey.HEADER, wrong).exchange(), instance,
                        "does not hold the internal key");
            }
        }
        // no CSRF token asked for, no session made: a POST without the key is a 401 too, with the key a 405
        assertUnauthenticated(withoutKey.post().uri("/internal/jobs").exchange(), "/internal/jobs", "send the internal key");
        http.post().uri("/internal/jobs").exchange().expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().doesNotExist("Set-Cookie");
        http.get().uri("/internal/jobs?limit=1").exchange().expectStatus().isOk().expectHeader().doesNotExist("Set-Cookie");
        http.get().uri("/actuator/metrics").exchange().expectStatus().isNotFound(); // the key opens no more than exists

        for (String open : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness",
                "/actuator/info")) {
            withoutKey.get().uri(open).exchange().expectStatus().isOk().expectHeader().doesNotExist("Set-Cookie");
            withoutKey.get().uri(open).header(InternalKey.HEADER, "wrong").exchange().expectStatus().isOk();
        }
    }

    private static void assertUnauthenticated(WebTestClient.ResponseSpec response, String instance, String detail) {
        response.expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist("Set-Cookie")
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/unauthenticated")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.instance").isEqualTo(instance)
                .jsonPath("$.detail").value(text -> assertThat((String) text).contains(detail));
    }

    @Test
    @Order(11)
    void anOwnersListingAndTotalHoldOnlyThatOwnersJobs() throws Exception {
        // owners that are prefixes of each other, or hold a separator or a '+'
        List<String> owners = List.of("team-a", "team-a/x", "team", "team a+b");
        long base = System.currentTimeMillis();
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String id = uuid7(base + i * 1000L, 500 + i);
            String owner = owners.get(i % owners.size());
            ownerOf.put(id, owner);
            fresh.add(id);
            JobSubmitted submitted = JobSubmitted.newBuilder().setJobId(id).setOwner(owner)
                    .setWorkflow(i % 2 == 0 ? "alpha" : "mock").setParameters(Map.of())
                    .setSubmittedAt(Instant.ofEpochMilli(base)).setRequestId("owned-" + i).build();
            commandProducer.send(new ProducerRecord<>(Topics.COMMANDS.name(), id,
                    JobCommand.newBuilder().setJobId(id).setCommand(submitted).build())).get();
            expectedStatus.put(id, "PENDING");
            if (i % 3 == 0) {
                eventProducer.send(event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1)
                        .setStartedAt(Instant.now()).setWorker("worker-3").build())).get();
                expectedStatus.put(id, "RUNNING");
            }
        }
        ids.addAll(fresh);
        await("the owners' jobs are listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> ownerListing(http, "team", "status=RUNNING").total() == 1 // job 6
                        && ownerListing(http, "team-a", "status=RUNNING").total() == 2); // jobs 0 and 12

        for (String owner : owners) {
            List<String> expected = reversed(fresh.stream().filter(id -> ownerOf.get(id).equals(owner)).toList());
            JobPageJson page = ownerListing(http, owner, "");
            assertThat(page.total()).as(owner).isEqualTo(4);
            assertThat(page.items()).extracting(JobViewJson::id).as(owner).containsExactlyElementsOf(expected);
            assertThat(page.items()).allMatch(view -> view.owner().equals(owner));
            // paged one by one, the total stays
            JobPageJson first = ownerListing(http, owner, "limit=1");
            JobPageJson second = ownerListing(http, owner, "limit=1&after=" + first.items().get(0).id());
            assertThat(List.of(first.items().get(0).id(), second.items().get(0).id())).isEqualTo(expected.subList(0, 2));
            assertThat(List.of(first.total(), second.total())).containsOnly(4L);
        }
        // with status, workflow and time filters
        List<String> teamA = fresh.stream().filter(id -> ownerOf.get(id).equals("team-a")).toList(); // jobs 0, 4, 8, 12
        assertThat(ownerListing(http, "team-a", "status=RUNNING").items()).extracting(JobViewJson::id)
                .containsExactly(teamA.get(3), teamA.get(0));
        assertThat(ownerListing(http, "team-a/x", "workflow=mock").total()).isEqualTo(4);
        assertThat(ownerListing(http, "team-a/x", "workflow=alpha").total()).isZero();
        JobPageJson window = ownerListing(http, "team-a", "submittedAfter=" + Instant.ofEpochMilli(base + 4000)
                + "&submittedBefore=" + Instant.ofEpochMilli(base + 12_000));
        assertThat(window.items()).extracting(JobViewJson::id).containsExactly(teamA.get(2), teamA.get(1));
        assertThat(window.total()).isEqualTo(2);
        assertThat(ownerListing(http, "nobody", "").total()).isZero();
        assertThat(ownerListing(http, "owner-150", "").items()).extracting(JobViewJson::id).containsExactly(ids.get(150));

        http.get().uri("/internal/jobs?owner={owner}", "o".repeat(201)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("owner");
    }

    /** A listing of one owner's jobs, the owner encoded as a URI variable; a 503 is retried shortly. */
    private static JobPageJson ownerListing(WebTestClient client, String owner, String more) {
        String uri = "/internal/jobs?owner={owner}" + (more.isEmpty() ? "" : "&" + more);
        var result = await("GET " + uri + " of " + owner).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> client.get().uri(uri, owner).exchange().expectBody(JobPageJson.class).returnResult(),
                        answer -> !answer.getStatus().isSameCodeAs(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(result.getStatus().value()).as("status of GET " + uri + " of " + owner).isEqualTo(200);
        return result.getResponseBody();
    }

    @Test
    @Order(12)
    void anIdempotencyKeyPointsAtTheJobOfItsFirstSubmission() throws Exception {
        String owner = "idempotent-owner";
        String key = "key-" + UUID.randomUUID();
        String storeKey = Idempotency.storeKey(owner, key);
        String first = jobIdBeside(storeKey);

        // a lookup waiting for the key is answered by the fold of the submission
        ConnectionProvider connections = ConnectionProvider.builder("idempotency-lookups").maxConnections(4).build();
        WebClient client = WebClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader(InternalKey.HEADER, InternalKeys.KEY)
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections))).build();
        long started = System.nanoTime();
        var waiting = client.get().uri("/internal/idempotency/{storeKey}?waitMillis=10000", storeKey)
                .retrieve().toEntity(IdempotencyJson.class).toFuture();
        await("the lookup waits").atMost(Duration.ofSeconds(10)).until(() -> idempotencyWatches.waiting() == 1);
        Instant submittedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        commandProducer.send(keyedSubmission(first, owner, key, "mock", submittedAt)).get();
        var answer = waiting.get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(answer.getBody()).isEqualTo(
                new IdempotencyJson(first, Idempotency.fingerprint("mock", Map.of("n", "1")), submittedAt));
        assertThat(idempotencyWatches.waiting()).isZero();
        connections.dispose();
        ids.add(first);
        expectedStatus.put(first, "PENDING");
        firstOfKey.put(storeKey, first);
        http.get().uri("/internal/idempotency/{storeKey}", storeKey).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.jobId").isEqualTo(first)
                .jsonPath("$.fingerprint").isEqualTo(Idempotency.fingerprint("mock", Map.of("n", "1")))
                .jsonPath("$.acceptedAt").isEqualTo(submittedAt.toString());

        // a second submission with the key (a retry through another API instance) leaves no job behind
        String second = jobIdBeside(storeKey);
        commandProducer.send(keyedSubmission(second, owner, key, "mock", submittedAt.plusSeconds(1))).get();
        http.get().uri("/internal/jobs/{id}", second).exchange().expectStatus().isNotFound(); // read-your-writes
        http.get().uri("/internal/jobs/{id}/history", second).exchange().expectStatus().isNotFound();
        http.get().uri("/internal/idempotency/{storeKey}", storeKey).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.jobId").isEqualTo(first);
        assertThat(ownerListing(http, owner, "").items()).extracting(JobViewJson::id).containsExactly(first);
        http.get().uri("/internal/jobs/{id}/history", first).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.entries.length()").isEqualTo(1);

        // a key whose 24 hours have passed is absent; its job stays
        String oldKey = "old-" + UUID.randomUUID();
        String oldStoreKey = Idempotency.storeKey(owner, oldKey);
        String old = jobIdBeside(oldStoreKey);
        commandProducer.send(keyedSubmission(old, owner, oldKey, "mock", Instant.now().minus(Duration.ofHours(25)))).get();
        ids.add(old);
        expectedStatus.put(old, "PENDING");
        http.get().uri("/internal/jobs/{id}", old).exchange().expectStatus().isOk();
        http.get().uri("/internal/idempotency/{storeKey}", oldStoreKey).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Idempotency key not found");

        // an absent key: 404 once the wait has passed
        long before = System.nanoTime();
        http.get().uri("/internal/idempotency/{storeKey}?waitMillis=400", Idempotency.storeKey(owner, "never")).exchange()
                .expectStatus().isNotFound();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

        http.get().uri("/internal/idempotency/{storeKey}", storeKey.toUpperCase()).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("storeKey");
        http.get().uri("/internal/idempotency/{storeKey}?waitMillis=10001", storeKey).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("waitMillis");
    }

    /** A job id in the partition of {@code storeKey}, as command-api picks it for a submission with that key. */
    private static String jobIdBeside(String storeKey) {
        int partition = Partitions.of(storeKey, 3);
        for (int sequence = 0; ; sequence++) {
            String id = uuid7(System.currentTimeMillis(), sequence);
            if (Partitions.of(id, 3) == partition) {
                return id;
            }
        }
    }

    private static ProducerRecord<String, JobCommand> keyedSubmission(String id, String owner, String key, String workflow,
            Instant submittedAt) {
        JobSubmitted submitted = JobSubmitted.newBuilder().setJobId(id).setOwner(owner).setWorkflow(workflow)
                .setParameters(Map.of("n", "1")).setSubmittedAt(submittedAt).setRequestId("keyed-" + id)
                .setIdempotencyKey(key).setRequestFingerprint(Idempotency.fingerprint(workflow, Map.of("n", "1"))).build();
        return new ProducerRecord<>(Topics.COMMANDS.name(), id, JobCommand.newBuilder().setJobId(id).setCommand(submitted).build());
    }

    @Test
    @Order(13)
    void poisonRecordsGoToTheDeadLetterTopicAndTheProjectionCarriesOn() throws Exception {
        assertThat(streams.getStreamsConfiguration().getProperty("processing.exception.handler"))
                .isEqualTo(StreamsDeadLetterHandler.class.getName());
        String id = uuid7(System.currentTimeMillis(), 950);
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        byte[] garbage = {0x00, (byte) 0xC3, 0x01, 0x7F, 'n', 'o', 't', ' ', 'a', 'v', 'r', 'o'};
        byte[] aCommand = Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), submission(id, 950));
        byte[] anEvent = Topics.EVENTS.valueSerde().serializer().serialize(Topics.EVENTS.name(), JobEvent.newBuilder()
                .setJobId(id).setEvent(JobStarted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(Instant.now())
                        .setWorker("w").build()).build());
        Map<String, byte[]> poison = new HashMap<>(); // "topic-partition@offset" → value
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all");
        try (var raw = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : List.of(Topics.COMMANDS.name(), Topics.EVENTS.name(), Topics.LOGS.name())) {
                byte[] wrongType = topic.equals(Topics.EVENTS.name()) ? aCommand : anEvent;
                for (byte[] value : List.of(garbage, wrongType)) {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
                    record.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
                    var sent = raw.send(record).get();
                    poison.put(topic + "-" + sent.partition() + "@" + sent.offset(), value);
                }
            }
        }
        // good records after the poison ones, on each topic
        commandProducer.send(new ProducerRecord<>(Topics.COMMANDS.name(), id, submission(id, 950))).get();
        eventProducer.send(event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(Instant.now())
                .setWorker("worker-9").build())).get();
        logProducer.send(new ProducerRecord<>(Topics.LOGS.name(), id, JobLogChunk.newBuilder().setJobId(id).setAttempt(1)
                .setFirstLine(1).setLines(List.of("after the poison")).setAt(Instant.now()).build())).get();
        ids.add(id);
        expectedStatus.put(id, "RUNNING");

        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DLQ.name()));
            await("six dead letters").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
                return deadLetters.size() >= poison.size();
            });
        }
        Map<String, byte[]> lettered = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : deadLetters) {
            String source = header(letter, DeadLetters.SOURCE_TOPIC) + "-" + header(letter, DeadLetters.SOURCE_PARTITION)
                    + "@" + header(letter, DeadLetters.SOURCE_OFFSET);
            lettered.put(source, letter.value());
            assertThat(letter.key()).isEqualTo(key);
            assertThat(header(letter, DeadLetters.CONSUMER)).isEqualTo("jobline-status-projection");
            assertThat(header(letter, DeadLetters.REASON)).contains("SerializationException");
            assertThat(Instant.parse(header(letter, DeadLetters.FAILED_AT))).isBefore(Instant.now().plusSeconds(1));
            assertThat(header(letter, "trace")).isEqualTo("t-1");
        }
        assertThat(lettered).containsOnlyKeys(poison.keySet());
        poison.forEach((source, value) -> assertThat(lettered.get(source)).as(source).isEqualTo(value));

        // and the good records after them were folded
        awaitStatus(id, "RUNNING");
        JobLogJson logs = logsRetrying(http, id, "?attempt=1");
        assertThat(logs.lines()).containsExactly("after the poison");
        assertThat(state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * A second instance joins the group and takes some of the partitions: each instance answers for every
     * job, forwarding a key it does not hold to the one that does, and gathers listings from both.
     */
    @Test
    @Order(20)
    void twoInstancesShareThePartitionsAndAnswerForEveryJob() throws Exception {
        Path secondStateDir = Files.createDirectories(Path.of("target", "it-state", "second-" + UUID.randomUUID()));
        try (ConfigurableApplicationContext second = StatusProjectionApplication.application()
                .properties("spring.main.banner-mode=off")
                .run("--server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrapServers, InternalKeys.ARGUMENT,
                        "--jobline.topics.partitions=3", "--jobline.projection.state-dir=" + secondStateDir)) {
            StreamsBuilderFactoryBean secondStreams = second.getBean(StreamsBuilderFactoryBean.class);
            int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            WebTestClient secondHttp = WebTestClient.bindToServer().baseUrl("http://localhost:" + secondPort)
                    .responseTimeout(Duration.ofSeconds(20)).defaultHeader(InternalKey.HEADER, InternalKeys.KEY).build();

            // joining takes a few rebalances; wait until the group has been settled for a moment
            await("both instances hold partitions, settled for a second").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .during(Duration.ofSeconds(1))
                    .until(() -> bothHoldPartitions(secondStreams) && state() == KafkaStreams.State.RUNNING
                            && secondStreams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);

            // a client retries a 503 (a rebalance) after Retry-After; a 404 would be an error
            for (WebTestClient client : List.of(http, secondHttp)) {
                for (String id : ids) {
                    assertThat(getRetrying(client, id)).isEqualTo(HttpStatus.OK);
                }
                assertThat(getRetrying(client, UUID.randomUUID().toString())).isEqualTo(HttpStatus.NOT_FOUND);
                for (String id : List.of(ids.get(0), ids.get(ids.size() - 1))) {
                    JobViewJson view = client.get().uri("/internal/jobs/{id}", id).exchange()
                            .expectStatus().isOk().expectBody(JobViewJson.class).returnResult().getResponseBody();
                    assertThat(view.status()).isEqualTo(expectedStatus.get(id));
                }
            }
            // idempotency keys and owners' listings through either instance (routed by the key, gathered from both)
            for (WebTestClient client : List.of(http, secondHttp)) {
                firstOfKey.forEach((storeKey, job) -> assertThat(idempotencyRetrying(client, storeKey).jobId()).isEqualTo(job));
                for (String owner : new java.util.TreeSet<>(ownerOf.values())) {
                    List<String> expected = reversed(ownerOf.keySet().stream().filter(id -> ownerOf.get(id).equals(owner)).toList());
                    assertThat(ownerListing(client, owner, "").items()).extracting(JobViewJson::id).as(owner)
                            .containsExactlyElementsOf(expected);
                }
            }
            // read-your-writes through whichever instance is asked
            int misses = 0;
            long base = System.currentTimeMillis();
            for (int i = 0; i < 40; i++) {
                String id = uuid7(base, i);
                ids.add(id);
                expectedStatus.put(id, "PENDING");
                commandProducer.send(new ProducerRecord<>(Topics.COMMANDS.name(), id, submission(id, i))).get();
                WebTestClient client = i % 2 == 0 ? http : secondHttp;
                if (getRetrying(client, id) != HttpStatus.OK) {
                    misses++;
                }
            }
            assertThat(misses).isZero();

            List<String> all = ids.stream().sorted(Comparator.reverseOrder()).toList();
            List<String> pending = ids.stream().filter(id -> expectedStatus.get(id).equals("PENDING"))
                    .sorted(Comparator.reverseOrder()).toList();
            assertThat(pageThrough(http, null, 25)).containsExactlyElementsOf(all);
            assertThat(pageThrough(secondHttp, "PENDING", 9)).containsExactlyElementsOf(pending);
            JobPageJson fromSecond = list(secondHttp, null, 500, null);
            assertThat(fromSecond.items()).extracting(JobViewJson::id).containsExactlyElementsOf(all);
            assertThat(fromSecond.hasMore()).isFalse();

            // log lines live with the job's view: each instance answers for every job's lines too
            List<String> withLogs = ids.subList(0, 12);
            for (int i = 0; i < withLogs.size(); i++) {
                String id = withLogs.get(i);
                List<String> lines = java.util.stream.IntStream.rangeClosed(1, i + 1).mapToObj(n -> id + " line " + n).toList();
                logProducer.send(new ProducerRecord<>(Topics.LOGS.name(), id, JobLogChunk.newBuilder().setJobId(id)
                        .setAttempt(1).setFirstLine(1).setLines(lines).setAt(Instant.now()).build())).get();
            }
            for (WebTestClient client : List.of(http, secondHttp)) {
                for (int i = 0; i < withLogs.size(); i++) {
                    String id = withLogs.get(i);
                    long total = i + 1;
                    JobLogJson logs = await("the lines of " + id).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                            .until(() -> logsRetrying(client, id, "?attempt=1&tail=1"), answer -> answer.totalLines() == total);
                    assertThat(logs.lines()).containsExactly(id + " line " + total);
                    assertThat(logs.firstLine()).isEqualTo(total);
                }
                assertThat(await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                        .until(() -> client.get().uri("/internal/jobs/{id}/logs", UUID.randomUUID()).exchange()
                                .expectBody().returnResult().getStatus().value(), status -> status != 503))
                        .isEqualTo(404);
            }
        } finally {
            FileSystemUtils.deleteRecursively(secondStateDir.toFile());
        }
    }

    /** GET an idempotency key as a client would: a 503 is retried shortly; it must be found. */
    private static IdempotencyJson idempotencyRetrying(WebTestClient client, String storeKey) {
        var result = await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get().uri("/internal/idempotency/{storeKey}", storeKey).exchange()
                        .expectBody(IdempotencyJson.class).returnResult(), answer -> answer.getStatus().value() != 503);
        assertThat(result.getStatus().value()).as("status of GET idempotency key " + storeKey).isEqualTo(200);
        return result.getResponseBody();
    }

    /** GET a job's lines as a client would: a 503 is retried shortly. */
    private static JobLogJson logsRetrying(WebTestClient client, String id, String query) {
        var result = await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get().uri("/internal/jobs/" + id + "/logs" + query).exchange()
                        .expectBody(JobLogJson.class).returnResult(), answer -> answer.getStatus().value() != 503);
        assertThat(result.getStatus().value()).as("status of GET logs of " + id).isEqualTo(200);
        return result.getResponseBody();
    }

    /** GET a job as a client would: a 503 is retried shortly; returns the final status. */
    private static HttpStatus getRetrying(WebTestClient client, String id) {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> HttpStatus.valueOf(client.get().uri("/internal/jobs/{id}", id).exchange().expectBody()
                        .returnResult().getStatus().value()), status -> status != HttpStatus.SERVICE_UNAVAILABLE);
    }

    private boolean bothHoldPartitions(StreamsBuilderFactoryBean secondStreams) {
        KafkaStreams first = streams.getKafkaStreams();
        KafkaStreams other = secondStreams.getKafkaStreams();
        if (first == null || other == null) {
            return false;
        }
        try {
            var hosts = first.streamsMetadataForStore("jobs");
            return hosts.size() == 2 && hosts.stream().allMatch(host -> !host.topicPartitions().isEmpty());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private List<String> pageThrough(String status, int limit) {
        return pageThrough(http, status, limit);
    }

    private static List<String> pageThrough(WebTestClient client, String status, int limit) {
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 1000; pages++) {
            JobPageJson page = list(client, status, limit, after);
            assertThat(page.items().size()).isLessThanOrEqualTo(limit);
            page.items().forEach(view -> seen.add(view.id()));
            if (status != null) {
                assertThat(page.items()).allMatch(view -> view.status().equals(status));
            }
            if (!page.hasMore()) {
                return seen;
            }
            assertThat(page.items()).hasSize(limit);
            after = page.items().get(page.items().size() - 1).id();
        }
        throw new AssertionError("listing did not end");
    }

    private JobPageJson list(String status, long limit, String after) {
        return list(http, status, limit, after);
    }

    /** One listing page; a 503 (a rebalance) is retried shortly, as a client would. */
    private static JobPageJson list(WebTestClient client, String status, long limit, String after) {
        StringBuilder uri = new StringBuilder("/internal/jobs?limit=" + limit);
        if (status != null) {
            uri.append("&status=").append(status);
        }
        if (after != null) {
            uri.append("&after=").append(after);
        }
        var result = await("GET " + uri + " answers").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get().uri(uri.toString()).exchange().expectBody(JobPageJson.class).returnResult(),
                        answer -> !answer.getStatus().isSameCodeAs(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(result.getStatus().value()).as("status of GET " + uri).isEqualTo(200);
        return result.getResponseBody();
    }

    /** A listing through the first instance, e.g. {@code ?workflow=alpha}; a 503 is retried shortly. */
    private JobPageJson listing(String query) {
        var result = await("GET /internal/jobs" + query).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> http.get().uri("/internal/jobs" + query).exchange().expectBody(JobPageJson.class).returnResult(),
                        answer -> !answer.getStatus().isSameCodeAs(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(result.getStatus().value()).as("status of GET /internal/jobs" + query).isEqualTo(200);
        return result.getResponseBody();
    }

    private static List<String> reversed(List<String> ids) {
        return ids.stream().sorted(Comparator.reverseOrder()).toList();
    }

    private void awaitStatus(String id, String status) {
        await(id + " reaches " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> http.get().uri("/internal/jobs/{id}", id).exchange().expectStatus().isOk()
                        .expectBody(JobViewJson.class).returnResult().getResponseBody().status().equals(status));
    }

    private void awaitListingSize(String status, long size) {
        await("the listing of " + status + " reaches " + size + " jobs").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> list(status, 500, null).items().size() == size);
    }

    private boolean matchesExpected(Map<String, JobStatusView> latest) {
        return latest.size() == ids.size() && ids.stream().allMatch(id ->
                latest.containsKey(id) && latest.get(id).getStatus().name().equals(expectedStatus.get(id)));
    }

    private long count(String status) {
        return expectedStatus.values().stream().filter(status::equals).count();
    }

    private double readYourWrites(String outcome) {
        var counter = meters.find(ReadYourWrites.METER).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private KafkaStreams.State state() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        return kafkaStreams == null ? null : kafkaStreams.state();
    }

    private static JobCommand submission(String id, int i) {
        return submission(id, i, "mock");
    }

    private static JobCommand submission(String id, int i, String workflow) {
        JobSubmitted submitted = JobSubmitted.newBuilder().setJobId(id).setOwner("owner-" + i).setWorkflow(workflow)
                .setParameters(Map.of("n", Integer.toString(i)))
                .setSubmittedAt(Instant.parse("2026-11-29T08:00:00Z").plusMillis(i))
                .setRequestId("request-" + i).build();
        return JobCommand.newBuilder().setJobId(id).setCommand(submitted).build();
    }

    private static ProducerRecord<String, JobEvent> event(String id, Object payload) {
        return new ProducerRecord<>(Topics.EVENTS.name(), id, JobEvent.newBuilder().setJobId(id).setEvent(payload).build());
    }

    /** A UUIDv7: 48 bits of milliseconds, version 7, then a sequence that keeps ids of one millisecond in order. */
    private static String uuid7(long millis, int sequence) {
        long msb = (millis << 16) | 0x7000L | (sequence & 0xFFF);
        long lsb = 0x8000000000000000L | (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL);
        return new UUID(msb, lsb).toString();
    }

}
