package io.jobline.api.feed;

import static io.jobline.api.feed.StatusWriter.progress;
import static io.jobline.api.feed.StatusWriter.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.jobline.api.feed.SseClient.Event;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.Progress;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /jobs/{id}/events}: one job's views, resumable with {@code Last-Event-ID}, through a real SSE client. */
class JobEventStreamsIT extends FeedIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aJobStreamShowsTheCurrentStateThenEveryChangeInOrderAndEndsAfterTheTerminalOne() throws Exception {
        String id = newJobId();
        writer.write(view(id, OWNER, JobStatus.PENDING, 1));
        projectionShows(view(id, OWNER, JobStatus.PENDING, 1));

        try (SseClient events = SseClient.open(url("/jobs/" + id + "/events"), null)) {
            assertThat(events.contentType()).startsWith("text/event-stream");
            Event current = events.next(WAIT);
            assertThat(current.type()).isEqualTo("job");
            assertThat(json(current)).isEqualTo(json(client.get().uri("/jobs/" + id).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()));

            writer.write(view(id, OWNER, JobStatus.RUNNING, 2));
            writer.write(progress(id, OWNER, 3, 1, 3));
            writer.write(progress(id, OWNER, 4, 2, 3));
            writer.write(progress(id, OWNER, 5, 3, 3));
            JobStatusView completed = view(id, OWNER, JobStatus.COMPLETED, 6);
            completed.setProgress(new Progress(3, 3));
            writer.write(completed);

            List<Event> rest = events.untilEnd(WAIT).stream().filter(Event::isJob).toList();
            assertThat(rest).extracting(event -> json(event).get("status").asString())
                    .containsExactly("RUNNING", "RUNNING", "RUNNING", "RUNNING", "COMPLETED");
            assertThat(rest).extracting(event -> json(event).get("version").asLong()).containsExactly(2L, 3L, 4L, 5L, 6L);
            assertThat(rest).extracting(event -> json(event).path("progress").path("done").asInt(0))
                    .containsExactly(0, 1, 2, 3, 3);
            assertThat(json(rest.get(4)).propertyNames()).containsExactlyElementsOf(json(current).propertyNames());
            List<String> ids = new ArrayList<>(List.of(current.id()));
            rest.forEach(event -> ids.add(event.id()));
            assertThat(ids).doesNotHaveDuplicates().allMatch(eventId -> eventId.matches("\\d+-\\d+-\\d+"));
        }
    }

    @Test
    void aClientReconnectingWithLastEventIdGetsExactlyTheEventsItMissed() throws Exception {
        String id = newJobId();
        writer.write(view(id, OWNER, JobStatus.PENDING, 1));
        projectionShows(view(id, OWNER, JobStatus.PENDING, 1));
        Event first;
        Event lastSeen;
        try (SseClient events = SseClient.open(url("/jobs/" + id + "/events"), null)) {
            first = events.nextJob(WAIT);
            writer.write(view(id, OWNER, JobStatus.RUNNING, 2));
            writer.write(progress(id, OWNER, 3, 1, 3));
            assertThat(version(events.nextJob(WAIT))).isEqualTo(2);
            lastSeen = events.nextJob(WAIT);
            assertThat(version(lastSeen)).isEqualTo(3);
        }
        writer.write(progress(id, OWNER, 4, 2, 3));
        writer.write(progress(id, OWNER, 5, 3, 3));
        writer.write(view(id, OWNER, JobStatus.COMPLETED, 6));

        try (SseClient resumed = SseClient.open(url("/jobs/" + id + "/events"), lastSeen.id())) {
            List<Event> events = resumed.untilEnd(WAIT);
            assertThat(events.get(0).type()).as("a resumed stream opens with a heartbeat").isEqualTo("heartbeat");
            assertThat(events.stream().filter(Event::isJob).map(JobEventStreamsIT::version))
                    .containsExactly(4L, 5L, 6L);
        }
        try (SseClient resumed = SseClient.open(url("/jobs/" + id + "/events"), first.id())) {
            assertThat(resumed.untilEnd(WAIT).stream().filter(Event::isJob).map(JobEventStreamsIT::version))
                    .as("after the first event: everything but the state it showed")
                    .containsExactly(2L, 3L, 4L, 5L, 6L);
        }
    }

    @Test
    void aViewTheProjectionShowedBeforeItReachedKafkaIsNotSentTwiceNorAfterAReconnect() throws Exception {
        String id = newJobId();
        writer.write(view(id, OWNER, JobStatus.PENDING, 1));
        projectionShows(view(id, OWNER, JobStatus.RUNNING, 2)); // its store is ahead of its commit to Kafka
        Event first;
        try (SseClient events = SseClient.open(url("/jobs/" + id + "/events"), null)) {
            first = events.nextJob(WAIT);
            assertThat(version(first)).isEqualTo(2);
            writer.write(view(id, OWNER, JobStatus.RUNNING, 2));
            writer.write(progress(id, OWNER, 3, 1, 2));
            assertThat(version(events.nextJob(WAIT))).isEqualTo(3);
        }
        writer.write(view(id, OWNER, JobStatus.FAILED, 4));
        try (SseClient resumed = SseClient.open(url("/jobs/" + id + "/events"), first.id())) {
            assertThat(resumed.untilEnd(WAIT).stream().filter(Event::isJob).map(JobEventStreamsIT::version))
                    .containsExactly(3L, 4L);
        }
    }

    @Test
    void aViewNewerThanTheProjectionsFollowsTheFirstEvent() throws Exception {
        String id = newJobId();
        writer.write(view(id, OWNER, JobStatus.PENDING, 1));
        writer.write(view(id, OWNER, JobStatus.RUNNING, 2));
        projectionShows(view(id, OWNER, JobStatus.PENDING, 1)); // a projection instance a moment behind

        try (SseClient events = SseClient.open(url("/jobs/" + id + "/events"), null)) {
            assertThat(version(events.nextJob(WAIT))).isEqualTo(1);
            assertThat(version(events.nextJob(WAIT))).isEqualTo(2);
        }
    }

    @Test
    void aFinishedJobsStreamShowsItsStateAndEnds() throws Exception {
        String id = newJobId();
        writer.write(view(id, OWNER, JobStatus.COMPLETED, 3));
        projectionShows(view(id, OWNER, JobStatus.COMPLETED, 3));

        try (SseClient events = SseClient.open(url("/jobs/" + id + "/events"), null)) {
            List<Event> all = events.untilEnd(WAIT);
            assertThat(all).hasSize(1);
            assertThat(json(all.get(0)).get("status").asString()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void anUnknownJobIsA404ProblemBeforeAnyStream() throws Exception {
        HttpResponse<String> answer = SseClient.refused(url("/jobs/" + newJobId() + "/events"), null);
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(answer.body()).get("status").asInt()).isEqualTo(404);
        assertThat(SseClient.refused(url("/jobs/not-a-job/events"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnusableLastEventIdIsA400ProblemNamingTheHeader() throws Exception {
        String id = newJobIdOn(1);
        projectionShows(view(id, OWNER, JobStatus.RUNNING, 2));
        for (String bad : List.of("garbage", "1-2", "0-1.1-2", "0-5-1" /* another partition */, "1-99999999999999999999-1")) {
            HttpResponse<String> answer = SseClient.refused(url("/jobs/" + id + "/events"), bad);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("field").asString()).as(bad).isEqualTo("Last-Event-ID");
        }
        for (String bad : List.of("garbage", "0-1-1", "0-1.0-2", "7-1")) {
            HttpResponse<String> answer = SseClient.refused(url("/jobs/stream"), bad);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("field").asString()).as(bad).isEqualTo("Last-Event-ID");
        }
    }

    @Test
    void aCursorOlderThanTheBufferIsCaughtUpFromKafka() throws Exception {
        String id = newJobIdOn(2);
        writer.write(view(id, OWNER, JobStatus.PENDING, 1));
        projectionShows(view(id, OWNER, JobStatus.PENDING, 1));
        Event first;
        try (SseClient events = SseClient.open(url("/jobs/" + id + "/events"), null)) {
            first = events.nextJob(WAIT);
        }
        writer.write(view(id, OWNER, JobStatus.RUNNING, 2));
        writeOthersOn(2, REPLAY_BUFFER * 2); // pushes the job's record out of the replay buffer
        awaitFeedRead(writer.write(view(id, OWNER, JobStatus.CANCELLED, 3)));

        try (SseClient resumed = SseClient.open(url("/jobs/" + id + "/events"), first.id())) {
            assertThat(resumed.untilEnd(WAIT).stream().filter(Event::isJob).map(JobEventStreamsIT::version))
                    .containsExactly(2L, 3L);
        }
    }

    @Test
    void aCursorTooOldToCatchUpGetsResyncAndTheStreamCloses() throws Exception {
        String id = newJobIdOn(0);
        writer.write(view(id, OWNER, JobStatus.PENDING, 1));
        projectionShows(view(id, OWNER, JobStatus.PENDING, 1));
        Event first;
        try (SseClient events = SseClient.open(url("/jobs/" + id + "/events"), null)) {
            first = events.nextJob(WAIT);
        }
        awaitFeedRead(writeOthersOn(0, CATCH_UP_MAX + REPLAY_BUFFER + 10));

        try (SseClient resumed = SseClient.open(url("/jobs/" + id + "/events"), first.id())) {
            List<Event> events = resumed.untilEnd(WAIT);
            Event last = events.get(events.size() - 1);
            assertThat(last.type()).isEqualTo("resync");
            assertThat(last.id()).as("an empty id: EventSource reconnects without Last-Event-ID").isEmpty();
            assertThat(JSON.readTree(last.data()).get("reason").asString()).isEqualTo("cursor-too-old");
            assertThat(events).noneMatch(Event::isJob);
        }
    }

    /** Writes {@code count} records of other jobs (of another owner) to {@code partition}. */
    static RecordMetadata writeOthersOn(int partition, int count) {
        String owner = randomOwner();
        List<JobStatusView> views = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            views.add(view(newJobIdOn(partition), owner, JobStatus.PENDING, 1));
        }
        return writer.write(views);
    }

    static JsonNode json(Event event) {
        return JSON.readTree(event.data());
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    static long version(Event event) {
        return json(event).get("version").asLong();
    }
}
