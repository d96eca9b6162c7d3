package io.jobline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The read side through the real API and the real projection: filtered listings with totals, long-poll, history
 * and Server-Sent Events, for jobs that ran on the real processor.
 */
@EmbeddedKafka(count = 1)
class ReadSideIT {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private static JoblineCluster cluster;
    private static JoblineClient client;

    @BeforeAll
    static void startJobline(EmbeddedKafkaBroker broker) throws Exception {
        cluster = JoblineCluster.start(broker.getBrokersAsString(),
                "--jobline.api.workflows=mock,mock-b",
                "--jobline.mock.workflows=mock,mock-b",
                "--jobline.mock.min-duration=20ms",
                "--jobline.mock.max-duration=50ms",
                "--jobline.processor.report-interval=100ms");
        client = cluster.client(TestCallers.ALICE);
    }

    @AfterAll
    static void stopJobline() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void listingsFilterPageAndCountWhatTheyMatch() {
        Map<String, String> expected = new LinkedHashMap<>(); // id -> workflow/status
        List<String> ids = new ArrayList<>();
        Instant middle = null;
        for (int i = 0; i < 30; i++) {
            String workflow = i % 3 == 0 ? "mock-b" : "mock";
            boolean fail = i % 4 == 0;
            var response = client.submit(workflow, Map.of("mock.outcome", fail ? "fail" : "succeed"));
            assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
            String id = response.body().get("id").asString();
            ids.add(id);
            expected.put(id, workflow + "/" + (fail ? "FAILED" : "COMPLETED"));
            if (i == 14) {
                middle = Instant.parse(response.body().get("submittedAt").asString()).plusMillis(1);
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().allMatch(id -> TERMINAL.contains(status(id))));

        long failedMock = expected.values().stream().filter("mock/FAILED"::equals).count();
        var failed = client.get("/jobs?status=FAILED&workflow=mock&limit=500");
        Set<String> listed = idsOf(failed.body().get("items"));
        assertThat(failed.body().get("total").asLong()).isGreaterThanOrEqualTo(failedMock);
        expected.forEach((id, what) -> assertThat(listed.contains(id)).as("%s is %s", id, what)
                .isEqualTo(what.equals("mock/FAILED")));

        List<String> paged = new ArrayList<>();
        String path = "/jobs?workflow=mock-b&limit=4";
        long total = -1;
        while (path != null) {
            JsonNode page = client.get(path).body();
            total = page.get("total").asLong();
            page.get("items").forEach(item -> paged.add(item.get("id").asString()));
            JsonNode next = page.get("nextPageToken");
            path = next == null || next.isNull() ? null : "/jobs?workflow=mock-b&limit=4&pageToken=" + next.asString();
        }
        List<String> mockB = new ArrayList<>(expected.keySet().stream()
                .filter(id -> expected.get(id).startsWith("mock-b/")).toList());
        java.util.Collections.reverse(mockB);
        assertThat(paged).containsSubsequence(mockB);
        assertThat(paged).hasSize((int) total);

        JsonNode newer = client.get("/jobs?submittedAfter=" + middle + "&limit=500").body();
        Set<String> newerIds = idsOf(newer.get("items"));
        assertThat(newerIds).containsAll(ids.subList(15, 30)).doesNotContainAnyElementsOf(ids.subList(0, 15));
        assertThat(newer.get("total").asLong()).isEqualTo(newerIds.size());
    }

    @Test
    void aLongPollAnswersWhenTheJobReachesTheStatusItWaitsFor() {
        String id = client.submit("mock", Map.of("mock.duration_ms", "1500")).body().get("id").asString();

        long begin = System.nanoTime();
        var waited = client.get("/jobs/" + id + "?waitFor=COMPLETED&timeout=30s");
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertThat(waited.status()).isEqualTo(200);
        assertThat(waited.body().get("status").asString()).isEqualTo("COMPLETED");
        assertThat(waited.raw().headers().firstValue("Jobline-Wait")).hasValue("satisfied");
        assertThat(took).isLessThan(Duration.ofSeconds(30));

        var timedOut = client.get("/jobs/" + id + "?waitFor=RUNNING&timeout=200ms");
        assertThat(timedOut.status()).isEqualTo(200);
        assertThat(timedOut.raw().headers().firstValue("Jobline-Wait")).hasValue("timeout");
        assertThat(timedOut.body().get("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void historyListsEveryCommandAndEventInOrderWithWhoAndWhen() {
        String id = client.submit("mock", Map.of("mock.duration_ms", "300", "mock.outcome", "fail")).body()
                .get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("FAILED"));
        assertThat(client.post("/jobs/" + id + "/retry").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/jobs/" + id).body().get("attempt").asInt() == 2
                && status(id).equals("FAILED"));

        JsonNode history = client.get("/jobs/" + id + "/history").body();
        List<String> types = new ArrayList<>();
        history.get("entries").forEach(entry -> types.add(entry.get("type").asString()));
        assertThat(types).containsSubsequence("JobSubmitted", "JobStarted", "JobFailed", "JobRetryRequested",
                "JobStarted", "JobFailed");
        JsonNode submitted = history.get("entries").get(0);
        assertThat(submitted.get("type").asString()).isEqualTo("JobSubmitted");
        assertThat(submitted.get("by").asString()).isEqualTo(TestCallers.ALICE.owner());
        assertThat(submitted.get("seq").asLong()).isEqualTo(1);
        long previous = 0;
        for (JsonNode entry : history.get("entries")) {
            assertThat(entry.get("seq").asLong()).isGreaterThan(previous);
            previous = entry.get("seq").asLong();
        }
    }

    @Test
    void aJobsEventStreamShowsItsLifeInOrderAndEndsWithIt() {
        String id = client.submit("mock", Map.of("mock.duration_ms", "1500")).body().get("id").asString();

        List<Map.Entry<String, JsonNode>> events = CompletableFuture
                .supplyAsync(() -> client.events("/jobs/" + id + "/events", Duration.ofSeconds(60))).join();

        List<String> statuses = events.stream().filter(e -> e.getKey().equals("job"))
                .map(e -> e.getValue().get("status").asString()).distinct().toList();
        assertThat(statuses).last().isEqualTo("COMPLETED");
        assertThat(statuses).containsSubsequence("RUNNING", "COMPLETED");
        List<Long> versions = events.stream().filter(e -> e.getKey().equals("job"))
                .map(e -> e.getValue().get("version").asLong()).toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates();
    }

    private static String status(String id) {
        var response = client.get("/jobs/" + id);
        return response.status() == 200 ? response.body().get("status").asString() : "HTTP " + response.status();
    }

    private static Set<String> idsOf(JsonNode items) {
        Set<String> ids = new HashSet<>();
        items.forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }
}
