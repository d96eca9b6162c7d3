package io.jobline.api.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.TestCallers;
import io.jobline.api.view.Accepted;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobRetryRequested;

/**
 * {@code POST /jobs/{id}/cancel} and {@code POST /jobs/{id}/retry} through real HTTP: job views from the fake
 * projection, commands read back from the real embedded broker by job id.
 */
class JobActionsIT extends ApiIntegrationTest {

    @BeforeEach
    void resetProjection() {
        PROJECTION.reset();
    }

    // --- cancel

    @ParameterizedTest
    @ValueSource(strings = {"PENDING", "RUNNING"})
    void cancelWritesExactlyOneJobCancelRequestedAndAnswers202(String status) {
        String id = job(status);
        Instant before = Instant.now().minusMillis(1);

        EntityExchangeResult<JobView> result = client.post().uri("/jobs/" + id + "/cancel").exchange()
                .expectStatus().isAccepted()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/jobs/" + id)
                .expectHeader().exists(Accepted.REQUEST_ID_HEADER)
                .expectBody(JobView.class).returnResult();
        JobView view = result.getResponseBody();

        assertThat(view.id()).isEqualTo(id);
        assertThat(view.status()).isEqualTo("CANCELLING");
        assertThat(view.cancelRequestedBy()).isEqualTo("tester");
        assertThat(view.cancelRequestedAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());

        List<JobCommand> commands = commandsOf(id);
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).getJobId()).isEqualTo(id);
        JobCancelRequested cancel = (JobCancelRequested) commands.get(0).getCommand();
        assertThat(cancel.getJobId()).isEqualTo(id);
        assertThat(cancel.getRequestedBy()).isEqualTo("tester");
        assertThat(cancel.getRequestedAt()).isEqualTo(view.cancelRequestedAt());
        assertThat(cancel.getRequestId()).isEqualTo(result.getResponseHeaders().getFirst(Accepted.REQUEST_ID_HEADER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "FAILED", "CANCELLED"})
    void cancelOfAFinishedJobIsA409ProblemAndWritesNothing(String status) {
        String id = job(status);
        client.post().uri("/jobs/" + id + "/cancel").exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist(HttpHeaders.LOCATION)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.title").isEqualTo("Conflict")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .contains("has already finished").contains(status))
                .jsonPath("$.jobStatus").isEqualTo(status)
                .jsonPath("$.instance").isEqualTo("/jobs/" + id + "/cancel");
        assertThat(commandsOf(id)).isEmpty();
    }

    @Test
    void cancelOfACancellingJobIs202AndWritesNothingAgain() {
        Map<String, Object> cancelling = FakeProjection.view(UUID.randomUUID().toString(), "CANCELLING");
        cancelling.put("cancelRequestedAt", "2026-11-29T08:00:01.000Z");
        cancelling.put("cancelRequestedBy", "alice");
        PROJECTION.put(cancelling);
        String id = (String) cancelling.get("id");

        JobView view = client.post().uri("/jobs/" + id + "/cancel").exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/jobs/" + id)
                .expectHeader().doesNotExist(Accepted.REQUEST_ID_HEADER)
                .expectBody(JobView.class).returnResult().getResponseBody();

        assertThat(view.status()).isEqualTo("CANCELLING");
        assertThat(view.cancelRequestedBy()).isEqualTo("alice");
        assertThat(view.cancelRequestedAt()).isEqualTo(Instant.parse("2026-11-29T08:00:01Z"));
        assertThat(commandsOf(id)).isEmpty();
    }

    @Test
    void cancelTwiceWritesOnceWhenTheProjectionHasFoldedTheFirst() {
        String id = job("RUNNING");
        JobView first = client.post().uri("/jobs/" + id + "/cancel").exchange()
                .expectStatus().isAccepted()
                .expectBody(JobView.class).returnResult().getResponseBody();
        Map<String, Object> folded = FakeProjection.view(id, "CANCELLING");
        folded.put("cancelRequestedAt", first.cancelRequestedAt().toString());
        folded.put("cancelRequestedBy", first.cancelRequestedBy());
        PROJECTION.put(folded);
        client.post().uri("/jobs/" + id + "/cancel").exchange()
                .expectStatus().isAccepted();
        assertThat(commandsOf(id)).hasSize(1);
    }

    @Test
    void cancelOfAnUnknownJobIsA404Problem() {
        String id = UUID.randomUUID().toString();
        client.post().uri("/jobs/" + id + "/cancel").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        assertThat(commandsOf(id)).isEmpty();
    }

    @Test
    void anIdThatIsNotAUuidIsA404AsForGetWithoutAskingTheProjection() {
        for (String action : List.of("cancel", "retry")) {
            client.post().uri("/jobs/not-a-job/" + action).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        assertThat(PROJECTION.requests()).isEmpty();
    }

    @Test
    void anUpperCaseIdIsNormalised() {
        String id = job("RUNNING");
        client.post().uri("/jobs/" + id.toUpperCase() + "/cancel").exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/jobs/" + id);
        assertThat(commandsOf(id)).hasSize(1);
    }

    @Test
    void aBodySentWithTheRequestIsIgnored() {
        String id = job("PENDING");
        client.post().uri("/jobs/" + id + "/cancel").contentType(MediaType.TEXT_PLAIN).bodyValue("please stop")
                .exchange()
                .expectStatus().isAccepted();
        assertThat(commandsOf(id)).hasSize(1);
    }

    @Test
    void theProjectionNotAnsweringIsA503AndNothingIsWritten() {
        String id = job("RUNNING");
        PROJECTION.answerWith(503, "3");
        for (String action : List.of("cancel", "retry")) {
            client.post().uri("/jobs/" + id + "/" + action).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals("Retry-After", "3")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        assertThat(commandsOf(id)).isEmpty();
    }

    // --- retry

    /** By an admin, on another owner's job: the job keeps its owner, the admin is who requested the retry. */
    @Test
    void retryOfAFailedJobWritesAttemptNPlusOneWithTheJobsSpec() {
        String id = UUID.randomUUID().toString();
        Map<String, Object> failed = FakeProjection.view(id, "FAILED");
        failed.put("owner", "alice");
        failed.put("workflow", "wordcount");
        failed.put("parameters", Map.of("words", "5", "input", "data/in.txt"));
        failed.put("attempt", 2);
        failed.put("finishedAt", "2026-11-29T08:00:09.000Z");
        failed.put("failure", Map.of("kind", "PIPELINE", "reason", "rule count failed", "exitCode", 1,
                "logTail", List.of("Error in rule count:")));
        failed.put("progress", Map.of("done", 1, "total", 3));
        PROJECTION.put(failed);
        Instant before = Instant.now().minusMillis(1);

        EntityExchangeResult<JobView> result = as(TestCallers.ADMIN_KEY).post().uri("/jobs/" + id + "/retry").exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/jobs/" + id)
                .expectHeader().exists(Accepted.REQUEST_ID_HEADER)
                .expectBody(JobView.class).returnResult();
        JobView view = result.getResponseBody();

        assertThat(view.status()).isEqualTo("PENDING");
        assertThat(view.attempt()).isEqualTo(3);
        assertThat(view.owner()).isEqualTo("alice");
        assertThat(view.workflow()).isEqualTo("wordcount");
        assertThat(view.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("words", "5", "input", "data/in.txt"));
        assertThat(view.submittedAt()).isEqualTo(Instant.parse("2026-11-29T08:00:00.123Z"));
        assertThat(view.startedAt()).isNull();
        assertThat(view.finishedAt()).isNull();
        assertThat(view.failure()).isNull();
        assertThat(view.progress()).isNull();
        assertThat(view.worker()).isNull();
        assertThat(view.outputs()).isEmpty();

        List<JobCommand> commands = commandsOf(id);
        assertThat(commands).hasSize(1);
        JobRetryRequested retry = (JobRetryRequested) commands.get(0).getCommand();
        assertThat(retry.getJobId()).isEqualTo(id);
        assertThat(retry.getAttempt()).isEqualTo(3);
        assertThat(retry.getOwner()).isEqualTo("alice");
        assertThat(retry.getWorkflow()).isEqualTo("wordcount");
        assertThat(retry.getParameters()).containsExactlyInAnyOrderEntriesOf(Map.of("words", "5", "input", "data/in.txt"));
        assertThat(retry.getRequestedBy()).isEqualTo(TestCallers.ADMIN);
        assertThat(retry.getRequestedAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(retry.getRequestedAt()).isEqualTo(view.updatedAt());
        assertThat(retry.getRequestId()).isEqualTo(result.getResponseHeaders().getFirst(Accepted.REQUEST_ID_HEADER));
        assertThat(retry.getAutomatic()).isFalse();
        assertThat(retry.getReason()).isNull();
    }

    @Test
    void retryOfAJobCancelledBeforeItStartedIsAttemptOne() {
        String id = UUID.randomUUID().toString();
        Map<String, Object> cancelled = FakeProjection.view(id, "CANCELLED");
        cancelled.put("attempt", 0);
        cancelled.put("startedAt", null);
        PROJECTION.put(cancelled);

        client.post().uri("/jobs/" + id + "/retry").exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.attempt").isEqualTo(1).jsonPath("$.status").isEqualTo("PENDING");

        JobRetryRequested retry = (JobRetryRequested) commandsOf(id).get(0).getCommand();
        assertThat(retry.getAttempt()).isEqualTo(1);
        assertThat(retry.getWorkflow()).isEqualTo("mock");
        assertThat(retry.getParameters()).containsExactlyEntriesOf(Map.of("k", "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PENDING", "RUNNING", "CANCELLING", "COMPLETED"})
    void retryOfAJobThatIsNotFailedOrCancelledIsA409NamingTheStatusAndWritesNothing(String status) {
        String id = job(status);
        client.post().uri("/jobs/" + id + "/retry").exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains(status)
                        .contains("only a FAILED or CANCELLED job can be retried"))
                .jsonPath("$.jobStatus").isEqualTo(status);
        assertThat(commandsOf(id)).isEmpty();
    }

    @Test
    void retryOfAWorkflowNoLongerAllowedIsA409() {
        String id = UUID.randomUUID().toString();
        Map<String, Object> failed = FakeProjection.view(id, "FAILED");
        failed.put("workflow", "retired");
        PROJECTION.put(failed);
        client.post().uri("/jobs/" + id + "/retry").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .contains("retired").contains("no longer allowed"));
        assertThat(commandsOf(id)).isEmpty();
    }

    @Test
    void retryOfAnUnknownJobIsA404Problem() {
        String id = UUID.randomUUID().toString();
        client.post().uri("/jobs/" + id + "/retry").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(commandsOf(id)).isEmpty();
    }

    @Test
    void getIsNotAnAction() {
        client.get().uri("/jobs/" + UUID.randomUUID() + "/cancel").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** A job of this status, with a fresh id, in the fake projection. */
    private static String job(String status) {
        String id = UUID.randomUUID().toString();
        PROJECTION.put(FakeProjection.view(id, status));
        return id;
    }
}
