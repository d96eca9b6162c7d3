package io.jobline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * Each owner sees and touches only its own jobs, through every endpoint of the real API over the real projection;
 * another owner's job looks exactly like a job that does not exist. An admin sees everything.
 */
@EmbeddedKafka(count = 1)
class TenancyIT {

    private static final String NO_SUCH_JOB = "019ad000-0000-7000-8000-000000000000";

    private static JoblineCluster cluster;
    private static JoblineClient alice;
    private static JoblineClient bob;
    private static JoblineClient admin;
    private static String alicesJob;
    private static String bobsJob;

    @BeforeAll
    static void startJobline(EmbeddedKafkaBroker broker) throws Exception {
        cluster = JoblineCluster.start(broker.getBrokersAsString(),
                "--jobline.mock.min-duration=20ms", "--jobline.mock.max-duration=50ms");
        alice = cluster.client(TestCallers.ALICE);
        bob = cluster.client(TestCallers.BOB);
        admin = cluster.client(TestCallers.ADMIN);
        alicesJob = submitAndFinish(alice, Map.of("mock.duration_ms", "50", "mock.outcome", "fail"));
        bobsJob = submitAndFinish(bob, Map.of("mock.duration_ms", "50"));
    }

    @AfterAll
    static void stopJobline() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {"", "/history", "/logs"})
    void anotherOwnersJobReadsLikeNoJob(String suffix) {
        var foreign = bob.get("/jobs/" + alicesJob + suffix);
        var missing = bob.get("/jobs/" + NO_SUCH_JOB + suffix);

        assertThat(foreign.status()).isEqualTo(404);
        assertSameProblem(foreign.body(), missing.body());
        assertThat(foreign.raw().body()).doesNotContain(TestCallers.ALICE.owner());
        assertThat(alice.get("/jobs/" + alicesJob + suffix).status()).isEqualTo(200);
        assertThat(admin.get("/jobs/" + alicesJob + suffix).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {"/cancel", "/retry"})
    void anotherOwnersJobCannotBeActedOn(String action) {
        var foreign = bob.post("/jobs/" + alicesJob + action);
        var missing = bob.post("/jobs/" + NO_SUCH_JOB + action);

        assertThat(foreign.status()).isEqualTo(404);
        assertSameProblem(foreign.body(), missing.body());
        assertThat(alice.get("/jobs/" + alicesJob).body().get("attempt").asInt()).isEqualTo(1);
        var history = alice.get("/jobs/" + alicesJob + "/history").body().get("entries");
        history.forEach(entry -> assertThat(entry.get("type").asString())
                .isNotIn("JobCancelRequested", "JobRetryRequested"));
    }

    @Test
    void anAdminActsOnAnyJobInItsOwnName() {
        String job = submitAndFinish(bob, Map.of("mock.duration_ms", "50", "mock.outcome", "fail"));

        assertThat(admin.post("/jobs/" + job + "/retry").status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> bob.get("/jobs/" + job).body().get("attempt").asInt() == 2);
        JsonNode retry = null;
        for (JsonNode entry : bob.get("/jobs/" + job + "/history").body().get("entries")) {
            if (entry.get("type").asString().equals("JobRetryRequested")) {
                retry = entry;
            }
        }
        assertThat(retry).isNotNull();
        assertThat(retry.get("by").asString()).isEqualTo(TestCallers.ADMIN.owner());
    }

    @Test
    void anotherOwnersJobStreamsLikeNoJob() {
        try (LiveEvents foreign = bob.openEvents("/jobs/" + alicesJob + "/events");
                LiveEvents own = alice.openEvents("/jobs/" + alicesJob + "/events")) {
            assertThat(foreign.status()).isEqualTo(404);
            assertThat(own.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> own.jobIds().contains(alicesJob));
        }
    }

    @Test
    void listingsHoldOnlyTheCallersJobsAndCountOnlyThem() {
        Set<String> alices = ids(alice.listAll(""));
        Set<String> bobs = ids(bob.listAll(""));
        Set<String> all = ids(admin.listAll(""));

        assertThat(alices).contains(alicesJob).doesNotContain(bobsJob);
        assertThat(bobs).contains(bobsJob).doesNotContain(alicesJob);
        assertThat(all).containsAll(alices).containsAll(bobs);
        assertThat(alice.get("/jobs?limit=1").body().get("total").asLong()).isEqualTo(alices.size());
        assertThat(bob.get("/jobs?status=FAILED&limit=1").body().get("total").asLong())
                .isEqualTo(bob.listAll("&status=FAILED").size());
        alice.listAll("&status=FAILED").forEach(item ->
                assertThat(item.get("owner").asString()).isEqualTo(TestCallers.ALICE.owner()));
    }

    @Test
    void theStreamOfAllJobsShowsOnlyTheCallersJobsButAnAdminSeesAll() {
        try (LiveEvents bobs = bob.openEvents("/jobs/stream"); LiveEvents all = admin.openEvents("/jobs/stream")) {
            assertThat(bobs.status()).isEqualTo(200);
            String alices = submit(alice, Map.of("mock.duration_ms", "20"));
            String bobsLater = submit(bob, Map.of("mock.duration_ms", "20"));

            // bob's own later job arriving shows his stream was live when alice's job went by
            await().atMost(Duration.ofSeconds(30)).until(() -> bobs.jobIds().contains(bobsLater)
                    && all.jobIds().containsAll(List.of(alices, bobsLater)));
            assertThat(bobs.jobIds()).doesNotContain(alices);
            bobs.data("job").forEach(view ->
                    assertThat(view.get("owner").asString()).isEqualTo(TestCallers.BOB.owner()));
        }
    }

    @Test
    void aJobBelongsToTheCredentialThatSubmittedIt() {
        String job = submit(bob, Map.of("mock.duration_ms", "20", "owner", "alice"));

        assertThat(bob.get("/jobs/" + job).body().get("owner").asString()).isEqualTo(TestCallers.BOB.owner());
        assertThat(alice.get("/jobs/" + job).status()).isEqualTo(404);
    }

    private static void assertSameProblem(JsonNode foreign, JsonNode missing) {
        assertThat(foreign.get("type")).isEqualTo(missing.get("type"));
        assertThat(foreign.get("title")).isEqualTo(missing.get("title"));
        assertThat(foreign.get("status")).isEqualTo(missing.get("status"));
        assertThat(foreign.properties().stream().map(Map.Entry::getKey).toList())
                .containsExactlyInAnyOrderElementsOf(missing.properties().stream().map(Map.Entry::getKey).toList());
    }

    private static String submit(JoblineClient client, Map<String, String> parameters) {
        var response = client.submit("mock", parameters);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
        return response.body().get("id").asString();
    }

    private static String submitAndFinish(JoblineClient client, Map<String, String> parameters) {
        String id = submit(client, parameters);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var view = client.get("/jobs/" + id);
            return view.status() == 200 && Set.of("COMPLETED", "FAILED").contains(view.body().get("status").asString());
        });
        return id;
    }

    private static Set<String> ids(List<JsonNode> items) {
        return Set.copyOf(items.stream().map(item -> item.get("id").asString()).toList());
    }
}
