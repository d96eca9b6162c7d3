package io.jobline.api.feed;

import static io.jobline.api.feed.StatusWriter.progress;
import static io.jobline.api.feed.StatusWriter.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobline.api.feed.SseClient.Event;
import io.jobline.schemas.JobStatus;
import tools.jackson.databind.JsonNode;

/** {@code GET /jobs/stream}: every change of every job of the caller, resumable; and the heartbeats. */
class AllJobsStreamIT extends FeedIntegrationTest {

    @Test
    void theStreamShowsEveryChangeOfTheCallersJobsOnlyAndCommittedOnly() throws Exception {
        List<String> jobs = List.of(newJobIdOn(0), newJobIdOn(1), newJobIdOn(2), newJobIdOn(0));
        String othersJob = newJobId();

        try (SseClient stream = SseClient.open(url("/jobs/stream"), null)) {
            Event opening = stream.next(WAIT);
            assertThat(opening.type()).as("the stream opens with a heartbeat").isEqualTo("heartbeat");
            assertThat(opening.id()).matches("0-\\d+\\.1-\\d+\\.2-\\d+");

            writer.write(view(othersJob, randomOwner(), JobStatus.PENDING, 1));
            writer.writeAborted(view(jobs.get(0), OWNER, JobStatus.FAILED, 9));
            for (long version = 1; version <= 3; version++) {
                for (String job : jobs) {
                    writer.write(progress(job, OWNER, version, (int) version, 3));
                }
            }

            Map<String, List<Long>> seen = new LinkedHashMap<>();
            for (int i = 0; i < jobs.size() * 3; i++) {
                JsonNode job = JobEventStreamsIT.json(stream.nextJob(WAIT));
                assertThat(job.get("owner").asString()).isEqualTo(OWNER);
                seen.computeIfAbsent(job.get("id").asString(), id -> new ArrayList<>()).add(job.get("version").asLong());
            }
            assertThat(seen).containsOnlyKeys(jobs);
            seen.values().forEach(versions -> assertThat(versions).containsExactly(1L, 2L, 3L));
            String lastId = writeAndAwaitMarker(stream);
            assertThat(lastId).isNotBlank();
        }
    }

    @Test
    void aClientReconnectingWithLastEventIdGetsExactlyWhatItMissedAcrossAllPartitions() throws Exception {
        List<String> jobs = List.of(newJobIdOn(0), newJobIdOn(1), newJobIdOn(2));
        Event lastSeen;
        try (SseClient stream = SseClient.open(url("/jobs/stream"), null)) {
            stream.next(WAIT);
            for (String job : jobs) {
                writer.write(view(job, OWNER, JobStatus.PENDING, 1));
            }
            for (int i = 0; i < jobs.size(); i++) {
                stream.nextJob(WAIT);
            }
            writer.write(view(jobs.get(0), OWNER, JobStatus.RUNNING, 2));
            lastSeen = stream.nextJob(WAIT);
            assertThat(JobEventStreamsIT.version(lastSeen)).isEqualTo(2);
        }
        for (String job : jobs) {
            writer.write(progress(job, OWNER, 3, 1, 2));
        }
        writer.write(view(jobs.get(1), OWNER, JobStatus.COMPLETED, 4));

        try (SseClient resumed = SseClient.open(url("/jobs/stream"), lastSeen.id())) {
            assertThat(resumed.next(WAIT).id()).as("opens with a heartbeat at its cursor").isEqualTo(lastSeen.id());
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JsonNode job = JobEventStreamsIT.json(resumed.nextJob(WAIT));
                missed.add(job.get("id").asString() + "@" + job.get("version").asLong());
            }
            assertThat(missed).containsExactlyInAnyOrder(jobs.get(0) + "@3", jobs.get(1) + "@3", jobs.get(2) + "@3",
                    jobs.get(1) + "@4");
            assertThat(missed.indexOf(jobs.get(1) + "@3")).isLessThan(missed.indexOf(jobs.get(1) + "@4"));
            writeAndAwaitMarker(resumed);
        }
    }

    @Test
    void everyStreamGetsANamedHeartbeatAtTheConfiguredIntervalCarryingItsCursor() throws Exception {
        try (SseClient stream = SseClient.open(url("/jobs/stream"), null)) {
            stream.next(WAIT);
            Event first = stream.next(WAIT);
            Event second = stream.next(WAIT);
            for (Event heartbeat : List.of(first, second)) {
                assertThat(heartbeat.type()).isEqualTo("heartbeat");
                assertThat(heartbeat.data()).isEqualTo("{}");
                assertThat(heartbeat.id()).matches("0-\\d+\\.1-\\d+\\.2-\\d+");
            }
            Duration between = Duration.ofNanos(second.receivedNanos() - first.receivedNanos());
            System.out.printf("heartbeats (interval 300 ms): %d ms apart%n", between.toMillis());
        }
        String id = newJobId();
        writer.write(view(id, OWNER, JobStatus.RUNNING, 2));
        projectionShows(view(id, OWNER, JobStatus.RUNNING, 2));
        try (SseClient job = SseClient.open(url("/jobs/" + id + "/events"), null)) {
            job.nextJob(WAIT);
            Event heartbeat = job.next(WAIT);
            assertThat(heartbeat.type()).isEqualTo("heartbeat");
            assertThat(heartbeat.id()).matches("\\d+-\\d+-2");
        }
    }

    /**
     * Writes one more change of a job of the caller and returns the id of its event, after checking that nothing
     * else came first: the stream held no event the test did not expect.
     */
    private static String writeAndAwaitMarker(SseClient stream) throws InterruptedException {
        String marker = newJobId();
        writer.write(view(marker, OWNER, JobStatus.PENDING, 1));
        Event next = stream.nextJob(WAIT);
        assertThat(JobEventStreamsIT.json(next).get("id").asString()).isEqualTo(marker);
        return next.id();
    }
}
