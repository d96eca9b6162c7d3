package io.jobline.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import io.jobline.projection.security.InternalKey;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two projection instances, each a JVM of its own with its own port and state directory, standby replicas
 * on, against the in-process broker: every job view and every listing (with its total, of all owners or of
 * one) read through either instance is correct and complete, before, while and after one instance is stopped
 * and started again. A 503 is allowed (a client retries it after a moment) but counted; a wrong or incomplete
 * answer is not. Every call carries the internal key, as the instances' calls of each other do.
 */
@EmbeddedKafka(count = 1, partitions = 4)
class MultipleInstancesIT {

    private static final int PARTITIONS = 4;
    private static final int JOBS = 240;
    private static final List<String> WORKFLOWS = List.of("alpha", "beta", "gamma");
    /** "al" is a prefix of "alice": an owner's listing must not reach into the other's jobs. */
    private static final List<String> OWNERS = List.of("alice", "bob", "al", "bob");
    private static final List<String> STATUSES = List.of("PENDING", "RUNNING", "CANCELLING", "COMPLETED", "FAILED", "CANCELLED");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What each job must look like: status, workflow, owner, submission time (from its id). */
    private record Expected(String id, String status, String workflow, String owner, long millis) {
    }

    private final Map<String, Expected> jobs = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final Random random = new Random(4);
    private long base;

    @Test
    void everyInstanceAnswersCorrectlyAndCompletelyThroughAStopAndARestart() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        List<String> args = List.of("--jobline.topics.partitions=" + PARTITIONS);
        try (ExternalProjection a = ExternalProjection.start("projection-a", broker.getBrokersAsString(), args);
                ExternalProjection b = ExternalProjection.start("projection-b", broker.getBrokersAsString(), args)) {
            awaitReady(a);
            awaitReady(b);
            produceJobs(broker.getBrokersAsString());
            await("both instances fold every job, each holding partitions").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250)).during(Duration.ofSeconds(1))
                    .until(() -> settled(List.of(a, b)) && foldedEverything(a));

            checkEverything(a);
            checkEverything(b);
            assertThat(wrong).as("wrong answers with both instances up").isEmpty();

            // b stops: a answers for b's partitions from its standby copies, then folds them itself
            long stopped = System.nanoTime();
            b.stop();
            await("a takes over every partition").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ZERO)
                    .until(() -> {
                        checkRound(a);
                        return settled(List.of(a));
                    });
            System.out.printf("a took over all partitions %.1f s after b stopped%n", (System.nanoTime() - stopped) / 1e9);
            checkEverything(a);
            assertThat(wrong).as("wrong answers while b was stopped").isEmpty();

            // b starts again with its state directory: partitions move back while both keep answering
            long restarted = System.nanoTime();
            b.launch();
            await("b is back and the partitions are shared again").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ZERO)
                    .until(() -> {
                        checkRound(a);
                        if (ready(b)) {
                            checkRound(b);
                        }
                        return settled(List.of(a, b));
                    });
            System.out.printf("partitions shared again %.1f s after b restarted%n", (System.nanoTime() - restarted) / 1e9);
            checkEverything(a);
            checkEverything(b);
            assertThat(wrong).as("wrong answers around the restart").isEmpty();
            System.out.printf("%d answers checked, %d of them 503 (retried)%n", answers.get(), unavailable.get());
        }
    }

    // ---- the jobs

    private void produceJobs(String bootstrapServers) throws Exception {
        base = Instant.now().minus(Duration.ofDays(10)).toEpochMilli();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var commands = new KafkaProducer<>(config, Topics.COMMANDS.keySerde().serializer(), Topics.COMMANDS.valueSerde().serializer());
                var events = new KafkaProducer<>(config, Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer())) {
            for (int i = 0; i < JOBS; i++) {
                long millis = base + i * 3_600_000L + random.nextInt(3_600_000);
                String id = uuid7(millis, i);
                String workflow = WORKFLOWS.get(i % WORKFLOWS.size());
                String owner = OWNERS.get(random.nextInt(OWNERS.size()));
                String status = STATUSES.get(random.nextInt(STATUSES.size()));
                jobs.put(id, new Expected(id, status, workflow, owner, millis));
                Instant at = Instant.ofEpochMilli(millis);
                commands.send(new ProducerRecord<>(Topics.COMMANDS.name(), id, JobCommand.newBuilder().setJobId(id)
                        .setCommand(JobSubmitted.newBuilder().setJobId(id).setOwner(owner).setWorkflow(workflow)
                                .setParameters(Map.of()).setSubmittedAt(at).setRequestId("r" + i).build()).build()));
                if (!status.equals("PENDING") && !status.equals("CANCELLING") || random.nextBoolean() && status.equals("CANCELLING")) {
                    events.send(event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(at).setWorker("w").build()));
                }
                if (status.equals("CANCELLING") || status.equals("CANCELLED")) {
                    commands.send(new ProducerRecord<>(Topics.COMMANDS.name(), id, JobCommand.newBuilder().setJobId(id)
                            .setCommand(JobCancelRequested.newBuilder().setJobId(id).setRequestedBy("bob").setRequestedAt(at)
                                    .setRequestId("c" + i).build()).build()));
                }
                switch (status) {
                    case "COMPLETED" -> events.send(event(id, JobCompleted.newBuilder().setJobId(id).setAttempt(1)
                            .setStartedAt(at).setFinishedAt(at).build()));
                    case "FAILED" -> events.send(event(id, JobFailed.newBuilder().setJobId(id).setAttempt(1).setStartedAt(at)
                            .setFinishedAt(at).setFailure(Failure.newBuilder().setKind(FailureKind.PIPELINE).setReason("x")
                                    .setExitCode(1).build()).build()));
                    case "CANCELLED" -> events.send(event(id, JobCancelled.newBuilder().setJobId(id).setAttempt(1)
                            .setCancelledAt(at).setRequestedBy("bob").build()));
                    default -> {
                    }
                }
            }
            commands.flush();
            events.flush();
        }
    }

    private static ProducerRecord<String, JobEvent> event(String id, Object payload) {
        return new ProducerRecord<>(Topics.EVENTS.name(), id, JobEvent.newBuilder().setJobId(id).setEvent(payload).build());
    }

    private boolean foldedEverything(ExternalProjection instance) {
        JsonNode all = getJson(instance, "/internal/jobs?limit=1");
        if (all == null || all.get("total").asLong() != JOBS) {
            return false;
        }
        for (String status : STATUSES) {
            JsonNode page = getJson(instance, "/internal/jobs?limit=1&status=" + status);
            if (page == null || page.get("total").asLong() != jobs.values().stream().filter(j -> j.status.equals(status)).count()) {
                return false;
            }
        }
        return true;
    }

    // ---- checks

    /** Every job through the instance, and every kind of listing, paged through. */
    private void checkEverything(ExternalProjection instance) {
        jobs.keySet().forEach(id -> checkJob(instance, id));
        for (String query : listingQueries()) {
            checkListing(instance, query, 37);
        }
    }

    /** Some jobs and some listings, as a client keeps asking during a rebalance. */
    private void checkRound(ExternalProjection instance) {
        List<String> ids = new ArrayList<>(jobs.keySet());
        for (int i = 0; i < 12; i++) {
            checkJob(instance, ids.get(random.nextInt(ids.size())));
        }
        List<String> queries = listingQueries();
        checkListing(instance, queries.get(random.nextInt(queries.size())), 1 + random.nextInt(120));
        checkListing(instance, "", 500);
    }

    private List<String> listingQueries() {
        List<String> queries = new ArrayList<>(List.of("", "?workflow=beta", "?workflow=gamma&status=FAILED",
                "?owner=al", "?owner=bob&status=RUNNING", "?owner=alice&workflow=alpha",
                "?owner=alice&workflow=beta&status=COMPLETED",
                "?owner=bob&submittedBefore=" + Instant.ofEpochMilli(base + 100 * 3_600_000L + 89),
                "?submittedAfter=" + Instant.ofEpochMilli(base + 50 * 3_600_000L),
                "?submittedAfter=" + Instant.ofEpochMilli(base + 30 * 3_600_000L + 123)
                        + "&submittedBefore=" + Instant.ofEpochMilli(base + 150 * 3_600_000L + 4567) + "&status=RUNNING"));
        STATUSES.forEach(status -> queries.add("?status=" + status));
        return queries;
    }

    private void checkJob(ExternalProjection instance, String id) {
        JsonNode view = getJson(instance, "/internal/jobs/" + id);
        Expected expected = jobs.get(id);
        if (view == null) {
            return; // recorded as wrong already
        }
        if (!view.get("id").asString().equals(id) || !view.get("status").asString().equals(expected.status)
                || !view.get("workflow").asString().equals(expected.workflow)) {
            wrong.add(instance.baseUrl() + " GET " + id + ": " + view + ", expected " + expected);
        }
    }

    private void checkListing(ExternalProjection instance, String query, int limit) {
        List<String> expected = expected(query);
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages <= JOBS; pages++) {
            String uri = "/internal/jobs" + (query.isEmpty() ? "?" : query + "&") + "limit=" + limit
                    + (after == null ? "" : "&after=" + after);
            JsonNode page = getJson(instance, uri);
            if (page == null) {
                return;
            }
            if (page.get("total").asLong() != expected.size()) {
                wrong.add(instance.baseUrl() + " " + uri + ": total " + page.get("total") + ", expected " + expected.size());
                return;
            }
            page.get("items").forEach(item -> seen.add(item.get("id").asString()));
            if (!page.get("hasMore").asBoolean()) {
                break;
            }
            after = seen.get(seen.size() - 1);
        }
        if (!seen.equals(expected)) {
            wrong.add(instance.baseUrl() + " listing " + query + " by " + limit + ": " + seen.size() + " ids, expected "
                    + expected.size() + (new HashSet<>(seen).equals(new HashSet<>(expected)) ? " (order differs)" : ""));
        }
    }

    private List<String> expected(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.substring(1).split("&")) {
                parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        Predicate<Expected> matches = job -> (!parameters.containsKey("status") || job.status.equals(parameters.get("status")))
                && (!parameters.containsKey("owner") || job.owner.equals(parameters.get("owner")))
                && (!parameters.containsKey("workflow") || job.workflow.equals(parameters.get("workflow")))
                && (!parameters.containsKey("submittedAfter")
                        || job.millis >= Instant.parse(parameters.get("submittedAfter")).toEpochMilli())
                && (!parameters.containsKey("submittedBefore")
                        || job.millis < Instant.parse(parameters.get("submittedBefore")).toEpochMilli());
        return jobs.values().stream().filter(matches).map(Expected::id).sorted(Comparator.reverseOrder()).toList();
    }

    /**
     * A GET as a client makes it: a 503 is retried after a moment (and counted); any other answer but 200 is
     * wrong and gives null; no answer at all fails the test.
     */
    private JsonNode getJson(ExternalProjection instance, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header(InternalKey.HEADER, InternalKeys.KEY).GET().build();
        HttpResponse<String> response = await(path).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    HttpResponse<String> answer = send(request);
                    answers.incrementAndGet();
                    if (answer != null && answer.statusCode() == 503 && answer.headers().firstValue("Retry-After").isPresent()) {
                        unavailable.incrementAndGet();
                        return null;
                    }
                    return answer;
                }, answer -> answer != null);
        if (response.statusCode() != 200) {
            wrong.add(instance.baseUrl() + path + ": " + response.statusCode() + " " + response.body());
            return null;
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the instances

    private void awaitReady(ExternalProjection instance) {
        await(instance.baseUrl() + " ready").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> ready(instance));
    }

    private boolean ready(ExternalProjection instance) {
        return health(instance) != null;
    }

    /** The readiness of an instance when it is UP, else null. */
    private JsonNode health(ExternalProjection instance) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(instance.baseUrl() + "/actuator/health/readiness")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every instance is ready and folds some partitions, and together they fold each partition once. */
    private boolean settled(List<ExternalProjection> instances) {
        Set<Integer> all = new HashSet<>();
        int count = 0;
        for (ExternalProjection instance : instances) {
            JsonNode health = health(instance);
            if (health == null) {
                return false;
            }
            JsonNode active = health.path("components").path("streams").path("details").path("activePartitions");
            if (!active.isArray() || active.isEmpty()) {
                return false;
            }
            for (JsonNode partition : active) {
                all.add(partition.asInt());
                count++;
            }
        }
        return all.size() == PARTITIONS && count == PARTITIONS;
    }

    private static String uuid7(long millis, int sequence) {
        long msb = (millis << 16) | 0x7000L | (sequence & 0xFFF);
        long lsb = 0x8000000000000000L | (UUID.randomUUID().getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL);
        return new UUID(msb, lsb).toString();
    }
}
