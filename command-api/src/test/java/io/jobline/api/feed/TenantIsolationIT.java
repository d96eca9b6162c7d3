package io.jobline.api.feed;

import static io.jobline.api.feed.StatusWriter.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.jobline.api.feed.SseClient.Event;
import io.jobline.api.support.FakeProjection;
import io.jobline.api.support.TestCallers;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStatus;

/**
 * Tenancy on every endpoint, the two event streams included (so it lives with the feed's test clients): alice gets
 * for bob's job exactly what she gets for a job that does not exist, lists and streams only her own jobs; an admin
 * sees and acts on everything.
 */
class TenantIsolationIT extends FeedIntegrationTest {

    private static final String NO_SUCH_JOB = "0193a5c2-8f00-7000-8000-00000000dead";

    private WebTestClient alice() {
        return as(TestCallers.ALICE_KEY);
    }

    private WebTestClient admin() {
        return as(TestCallers.ADMIN_KEY);
    }

    /** A job of bob's the projection knows, with history and log lines. */
    private String bobsJob(String status) {
        String id = newJobId();
        Map<String, Object> view = FakeProjection.view(id, status);
        view.put("owner", TestCallers.BOB);
        PROJECTION.put(view);
        PROJECTION.putHistory(id, List.of(Map.of("seq", 1, "type", "JobSubmitted")));
        PROJECTION.putLogs(id, Map.of("jobId", id, "attempt", 1, "firstLine", 1, "lines", List.of("secret"),
                "totalLines", 1));
        return id;
    }

    @Test
    void anotherOwnersJobAnswersEveryReadExactlyLikeAJobThatDoesNotExist() throws Exception {
        String bobs = bobsJob("RUNNING");
        for (String path : List.of("/jobs/%s", "/jobs/%s?waitFor=COMPLETED&timeout=30s",
                "/jobs/%s?waitFor=change&timeout=30s", "/jobs/%s/history", "/jobs/%s/logs",
                "/jobs/%s/logs?attempt=1&tail=5")) {
            String forBobsJob = body(alice().get().uri(path.formatted(bobs)), 404);
            String forNoJob = body(alice().get().uri(path.formatted(NO_SUCH_JOB)), 404);
            assertThat(forBobsJob.replace(bobs, "ID")).as(path).isEqualTo(forNoJob.replace(NO_SUCH_JOB, "ID"));
            assertThat(forBobsJob).doesNotContain("secret").doesNotContain(TestCallers.BOB);
        }
        assertThat(PROJECTION.waiting()).as("no long-poll was started on bob's job").isZero();
        assertThat(PROJECTION.requests()).extracting(URI::getPath)
                .as("alice's requests read bob's job only to check its owner")
                .allMatch(path -> path.equals("/internal/jobs/" + bobs) || path.equals("/internal/jobs/" + NO_SUCH_JOB));

        HttpResponse<String> stream = SseClient.refused(url("/jobs/" + bobs + "/events"), null, TestCallers.ALICE_KEY);
        HttpResponse<String> noStream = SseClient.refused(url("/jobs/" + NO_SUCH_JOB + "/events"), null,
                TestCallers.ALICE_KEY);
        assertThat(stream.statusCode()).isEqualTo(404);
        assertThat(stream.body().replace(bobs, "ID")).isEqualTo(noStream.body().replace(NO_SUCH_JOB, "ID"));
    }

    @Test
    void anotherOwnersJobCannotBeCancelledOrRetriedAndNothingIsWritten() {
        String running = bobsJob("RUNNING");
        String failed = bobsJob("FAILED");
        for (String request : List.of("/jobs/" + running + "/cancel", "/jobs/" + failed + "/retry")) {
            String forBobsJob = body(alice().post().uri(request), 404);
            String other = request.replace(running, NO_SUCH_JOB).replace(failed, NO_SUCH_JOB);
            String forNoJob = body(alice().post().uri(other), 404);
            assertThat(forBobsJob.replace(running, "ID").replace(failed, "ID"))
                    .isEqualTo(forNoJob.replace(NO_SUCH_JOB, "ID"));
        }
        assertThat(commandsOf(running)).isEmpty();
        assertThat(commandsOf(failed)).isEmpty();
    }

    @Test
    void anAdminSeesAndActsOnAnotherOwnersJob() throws Exception {
        String running = bobsJob("RUNNING");
        String failed = bobsJob("FAILED");
        admin().get().uri("/jobs/" + running).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.owner").isEqualTo(TestCallers.BOB);
        admin().get().uri("/jobs/" + running + "/history").exchange().expectStatus().isOk();
        admin().get().uri("/jobs/" + running + "/logs").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.lines[0]").isEqualTo("secret");

        JobView cancelling = admin().post().uri("/jobs/" + running + "/cancel").exchange()
                .expectStatus().isAccepted().expectBody(JobView.class).returnResult().getResponseBody();
        assertThat(cancelling.cancelRequestedBy()).isEqualTo(TestCallers.ADMIN);
        assertThat(((JobCancelRequested) commandsOf(running).get(0).getCommand()).getRequestedBy())
                .isEqualTo(TestCallers.ADMIN);

        admin().post().uri("/jobs/" + failed + "/retry").exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.owner").isEqualTo(TestCallers.BOB);
        JobRetryRequested retry = (JobRetryRequested) commandsOf(failed).get(0).getCommand();
        assertThat(retry.getOwner()).as("the job stays bob's").isEqualTo(TestCallers.BOB);
        assertThat(retry.getRequestedBy()).isEqualTo(TestCallers.ADMIN);

        String streamed = newJobId();
        writer.write(view(streamed, TestCallers.BOB, JobStatus.PENDING, 1));
        projectionShows(view(streamed, TestCallers.BOB, JobStatus.PENDING, 1));
        try (SseClient events = SseClient.open(url("/jobs/" + streamed + "/events"), null, TestCallers.ADMIN_KEY)) {
            assertThat(JobEventStreamsIT.json(events.nextJob(WAIT)).get("owner").asString()).isEqualTo(TestCallers.BOB);
        }
    }

    @Test
    void listingsHoldOnlyTheCallersJobsAndAnAdminsHoldAll() {
        String alices = newJobId();
        Map<String, Object> view = FakeProjection.view(alices, "PENDING");
        view.put("owner", TestCallers.ALICE);
        PROJECTION.put(view);
        String bobs = bobsJob("PENDING");

        alice().get().uri("/jobs").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].id").isEqualTo(List.of(alices))
                .jsonPath("$.total").isEqualTo(1);
        as(TestCallers.BOB_KEY).get().uri("/jobs?status=PENDING").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[*].id").isEqualTo(List.of(bobs));
        admin().get().uri("/jobs").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(2);

        assertThat(PROJECTION.requests()).extracting(URI::getQuery)
                .containsExactly("limit=50&owner=alice", "limit=50&owner=bob&status=PENDING", "limit=50");
    }

    @Test
    void theStreamOfAllJobsShowsTheCallersJobsAndAnAdminsShowsEveryonesJobs() throws Exception {
        String alices = newJobId();
        String bobs = newJobId();
        try (SseClient alice = SseClient.open(url("/jobs/stream"), null, TestCallers.ALICE_KEY);
                SseClient admin = SseClient.open(url("/jobs/stream"), null, TestCallers.ADMIN_KEY)) {
            alice.next(WAIT);
            admin.next(WAIT);
            writer.write(view(bobs, TestCallers.BOB, JobStatus.PENDING, 1));
            writer.write(view(alices, TestCallers.ALICE, JobStatus.PENDING, 1));

            Event first = alice.nextJob(WAIT);
            assertThat(JobEventStreamsIT.json(first).get("id").asString()).as("bob's job was skipped").isEqualTo(alices);

            List<String> seenByAdmin = List.of(JobEventStreamsIT.json(admin.nextJob(WAIT)).get("id").asString(),
                    JobEventStreamsIT.json(admin.nextJob(WAIT)).get("id").asString());
            assertThat(seenByAdmin).containsExactlyInAnyOrder(bobs, alices);
        }
    }

    /** The body of a problem answer with {@code status}. */
    private static String body(WebTestClient.RequestHeadersSpec<?> request, int status) {
        return new String(request.exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBodyContent(), StandardCharsets.UTF_8);
    }
}
