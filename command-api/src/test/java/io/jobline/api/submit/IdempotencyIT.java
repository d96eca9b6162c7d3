package io.jobline.api.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.TestCallers;
import io.jobline.api.view.JobView;
import io.jobline.schemas.Idempotency;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Partitions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's side of {@code POST /jobs} with an {@code Idempotency-Key}, against the fake projection playing the
 * documented {@code /internal/idempotency/{storeKey}} contract and the real broker. (Concurrent submissions through
 * two API instances with the real projection and processor are system-tests' part.)
 */
class IdempotencyIT extends ApiIntegrationTest {

    private static final String BODY = "{\"workflow\":\"mock\",\"parameters\":{\"k\":\"v\"}}";
    private static final String FINGERPRINT = Idempotency.fingerprint("mock", Map.of("k", "v"));
    private static final String OTHER_FINGERPRINT = Idempotency.fingerprint("mock", Map.of("k", "w"));
    private static final int PARTITIONS = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private String key;
    private String storeKey;

    @BeforeEach
    void newKey() {
        PROJECTION.reset();
        key = UUID.randomUUID().toString();
        storeKey = Idempotency.storeKey(TestCallers.TESTER, key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "k\u00e9y", "a/b", "a,b", "{x}"})
    void aMalformedKeyIs400NamingTheHeaderAndNothingIsAskedOrWritten(String bad) {
        long before = commandsEndOffset();
        assertBadKey(client.post().uri("/jobs").header(IdempotencyKeys.HEADER, bad));
        assertBadKey(client.post().uri("/jobs").header(IdempotencyKeys.HEADER, "k".repeat(129)));
        assertBadKey(client.post().uri("/jobs").header(IdempotencyKeys.HEADER, key, key));
        assertThat(PROJECTION.requests()).isEmpty();
        assertThat(commandsEndOffset()).isEqualTo(before);
    }

    private static void assertBadKey(WebTestClient.RequestBodySpec request) {
        request.contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key");
    }

    @Test
    void theLongestAndOddestAllowedKeysAreTaken() {
        for (String allowed : List.of("k".repeat(128), "A-z_0.9:x")) {
            String store = Idempotency.storeKey(TestCallers.TESTER, allowed);
            String job = existingJob();
            PROJECTION.putIdempotency(store, job, FINGERPRINT);
            submit(allowed).expectStatus().isAccepted().expectBody().jsonPath("$.id").isEqualTo(job);
        }
    }

    @Test
    void aKnownKeyWithTheSameRequestAnswersItsJobAndWritesNothing() {
        String job = existingJob();
        PROJECTION.putIdempotency(storeKey, job, FINGERPRINT);
        long before = commandsEndOffset();

        submit(key).expectStatus().isAccepted()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/jobs/" + job)
                .expectHeader().valueEquals(IdempotencyKeys.REPLAYED_HEADER, "true")
                .expectHeader().doesNotExist(SubmitJobController.REQUEST_ID_HEADER)
                .expectBody()
                .jsonPath("$.id").isEqualTo(job)
                .jsonPath("$.status").isEqualTo("RUNNING");

        assertThat(commandsEndOffset()).isEqualTo(before);
        assertThat(PROJECTION.requests()).extracting(URI::getPath)
                .containsExactly("/internal/idempotency/" + storeKey, "/internal/jobs/" + job);
        assertThat(PROJECTION.requests().get(0).getQuery()).isEqualTo("waitMillis=0");
    }

    @Test
    void aKnownKeyWithAnotherRequestIs422AndWritesNothing() {
        PROJECTION.putIdempotency(storeKey, existingJob(), OTHER_FINGERPRINT);
        long before = commandsEndOffset();
        submit(key).expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://jobline.io/problems/idempotency-key-reused")
                .jsonPath("$.status").isEqualTo(422)
                .jsonPath("$.field").isEqualTo("Idempotency-Key");
        assertThat(commandsEndOffset()).isEqualTo(before);
    }

    @Test
    void theKeyOfOneOwnerIsNotAnothersKey() {
        PROJECTION.putIdempotency(Idempotency.storeKey(TestCallers.ALICE, key), existingJob(), OTHER_FINGERPRINT);
        CompletableFuture<EntityExchangeResult<String>> answer = submitInBackground(key);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROJECTION.waitingFor(storeKey) == 1);
        JobSubmitted written = submittedWith(key);
        PROJECTION.putIdempotency(storeKey, written.getJobId(), FINGERPRINT);
        assertThat(answer.join().getStatus().value()).isEqualTo(202);
    }

    @Test
    void aNewKeyWritesTheJobOnTheKeysPartitionAndAnswersOnceTheProjectionConfirmsIt() {
        CompletableFuture<EntityExchangeResult<String>> answer = submitInBackground(key);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROJECTION.waitingFor(storeKey) == 1);
        assertThat(answer).as("no answer before the projection confirms").isNotDone();

        ConsumerRecord<String, JobCommand> record = commands().stream()
                .filter(r -> r.value().getCommand() instanceof JobSubmitted s && key.equals(s.getIdempotencyKey()))
                .findFirst().orElseThrow();
        JobSubmitted written = (JobSubmitted) record.value().getCommand();
        assertThat(written.getRequestFingerprint()).isEqualTo(FINGERPRINT);
        assertThat(written.getOwner()).isEqualTo(TestCallers.TESTER);
        assertThat(record.partition()).as("the job lands where the key's entries live")
                .isEqualTo(Partitions.of(storeKey, PARTITIONS))
                .isEqualTo(Partitions.of(written.getJobId(), PARTITIONS));

        PROJECTION.putIdempotency(storeKey, written.getJobId(), FINGERPRINT);
        EntityExchangeResult<String> result = answer.join();
        assertThat(result.getStatus().value()).isEqualTo(202);
        assertThat(view(result).id()).isEqualTo(written.getJobId());
        assertThat(view(result).status()).isEqualTo("PENDING");
        assertThat(result.getResponseHeaders().getFirst(IdempotencyKeys.REPLAYED_HEADER)).isNull();
        assertThat(result.getResponseHeaders().getFirst(SubmitJobController.REQUEST_ID_HEADER))
                .isEqualTo(written.getRequestId());
        assertThat(PROJECTION.requests()).extracting(URI::getQuery).containsExactly("waitMillis=0", "waitMillis=2000");
    }

    @Test
    void losingToAConcurrentSubmissionOfTheSameRequestAnswersTheWinnersJob() {
        CompletableFuture<EntityExchangeResult<String>> answer = submitInBackground(key);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROJECTION.waitingFor(storeKey) == 1);
        String winner = existingJob();
        PROJECTION.putIdempotency(storeKey, winner, FINGERPRINT);

        EntityExchangeResult<String> result = answer.join();
        assertThat(result.getStatus().value()).isEqualTo(202);
        assertThat(view(result).id()).isEqualTo(winner);
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.LOCATION)).isEqualTo("/jobs/" + winner);
        assertThat(result.getResponseHeaders().getFirst(IdempotencyKeys.REPLAYED_HEADER)).isEqualTo("true");
    }

    @Test
    void losingToAConcurrentSubmissionOfAnotherRequestIs422() {
        CompletableFuture<EntityExchangeResult<String>> answer = submitInBackground(key);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROJECTION.waitingFor(storeKey) == 1);
        PROJECTION.putIdempotency(storeKey, existingJob(), OTHER_FINGERPRINT);
        assertThat(answer.join().getStatus().value()).isEqualTo(422);
    }

    @Test
    void noConfirmationInTimeIs503AndTheRetryWithTheSameKeyGetsTheJob() {
        EntityExchangeResult<String> unconfirmed = submitInBackground(key).join();
        assertThat(unconfirmed.getStatus().value()).isEqualTo(503);
        assertThat(unconfirmed.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");

        // the projection folds the submission meanwhile
        JobSubmitted written = submittedWith(key);
        Map<String, Object> view = FakeProjection.view(written.getJobId(), "PENDING");
        PROJECTION.put(view);
        PROJECTION.putIdempotency(storeKey, written.getJobId(), FINGERPRINT);
        long before = commandsEndOffset();

        submit(key).expectStatus().isAccepted()
                .expectHeader().valueEquals(IdempotencyKeys.REPLAYED_HEADER, "true")
                .expectBody().jsonPath("$.id").isEqualTo(written.getJobId());
        assertThat(commandsEndOffset()).isEqualTo(before);
    }

    @Test
    void theProjectionBeingUnavailableIs503AndNothingIsWritten() {
        PROJECTION.answerWith(503, "3");
        long before = commandsEndOffset();
        submit(key).expectStatus().isEqualTo(503).expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "3");
        assertThat(commandsEndOffset()).isEqualTo(before);
    }

    @Test
    void withoutAKeyTheProjectionIsNotAsked() {
        client.post().uri("/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).exchange()
                .expectStatus().isAccepted()
                .expectHeader().doesNotExist(IdempotencyKeys.REPLAYED_HEADER);
        assertThat(PROJECTION.requests()).isEmpty();
    }

    /** A job of the tester the projection shows (RUNNING), as a winner of the key. */
    private static String existingJob() {
        String id = UUID.randomUUID().toString();
        PROJECTION.put(FakeProjection.view(id, "RUNNING"));
        return id;
    }

    private WebTestClient.ResponseSpec submit(String idempotencyKey) {
        return client.post().uri("/jobs").header(IdempotencyKeys.HEADER, idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).exchange();
    }

    private CompletableFuture<EntityExchangeResult<String>> submitInBackground(String idempotencyKey) {
        var caller = client.mutate().responseTimeout(Duration.ofSeconds(20)).build();
        return CompletableFuture.supplyAsync(() -> caller.post().uri("/jobs").header(IdempotencyKeys.HEADER, idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).exchange()
                .expectBody(String.class).returnResult());
    }

    private static JobView view(EntityExchangeResult<String> result) {
        return JSON.readValue(result.getResponseBody(), JobView.class);
    }

    /** The JobSubmitted written with {@code idempotencyKey}. */
    private JobSubmitted submittedWith(String idempotencyKey) {
        return commands().stream().map(record -> record.value().getCommand())
                .filter(command -> command instanceof JobSubmitted s && idempotencyKey.equals(s.getIdempotencyKey()))
                .map(JobSubmitted.class::cast)
                .findFirst().orElseThrow();
    }
}
