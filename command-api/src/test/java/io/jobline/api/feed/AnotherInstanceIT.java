package io.jobline.api.feed;

import static io.jobline.api.feed.StatusWriter.progress;
import static io.jobline.api.feed.StatusWriter.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import io.jobline.api.feed.SseClient.Event;
import io.jobline.api.support.SeparateInstance;
import io.jobline.api.support.TestCallers;
import io.jobline.schemas.JobStatus;

/** Any instance serves any stream: a second command-api resumes streams from the cursors the first one sent. */
class AnotherInstanceIT extends FeedIntegrationTest {

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void aSecondInstanceResumesStreamsFromTheFirstOnesCursors() throws Exception {
        String id = newJobId();
        writer.write(view(id, OWNER, JobStatus.PENDING, 1));
        projectionShows(view(id, OWNER, JobStatus.PENDING, 1));
        Event lastOfJob;
        Event lastOfAll;
        try (SseClient job = SseClient.open(url("/jobs/" + id + "/events"), null);
                SseClient all = SseClient.open(url("/jobs/stream"), null)) {
            job.nextJob(WAIT);
            all.next(WAIT);
            writer.write(view(id, OWNER, JobStatus.RUNNING, 2));
            lastOfJob = job.nextJob(WAIT);
            lastOfAll = all.nextJob(WAIT);
        }
        writer.write(progress(id, OWNER, 3, 1, 2));
        writer.write(view(id, OWNER, JobStatus.FAILED, 4));

        try (ConfigurableApplicationContext second = startSecondInstance()) {
            String base = "http://127.0.0.1:" + SeparateInstance.port(second);
            try (SseClient job = SseClient.open(base + "/jobs/" + id + "/events", lastOfJob.id())) {
                assertThat(job.untilEnd(WAIT).stream().filter(Event::isJob).map(JobEventStreamsIT::version))
                        .containsExactly(3L, 4L);
            }
            try (SseClient all = SseClient.open(base + "/jobs/stream", lastOfAll.id())) {
                all.next(WAIT);
                assertThat(List.of(JobEventStreamsIT.version(all.nextJob(WAIT)), JobEventStreamsIT.version(all.nextJob(WAIT))))
                        .containsExactly(3L, 4L);
            }
        }
    }

    @Test
    void anInstanceShuttingDownEndsItsStreamsAndTheirClientsResumeOnAnother() throws Exception {
        String id = newJobId();
        ConfigurableApplicationContext second = startSecondInstance();
        Event lastSeen;
        try (SseClient all = SseClient.open("http://127.0.0.1:" + SeparateInstance.port(second) + "/jobs/stream", null)) {
            all.next(WAIT);
            writer.write(view(id, OWNER, JobStatus.PENDING, 1));
            lastSeen = all.nextJob(WAIT);

            second.close();
            List<Event> rest = all.untilEnd(WAIT);
            assertThat(rest).noneMatch(Event::isJob);
            if (!rest.isEmpty()) {
                lastSeen = rest.get(rest.size() - 1);
            }
        } finally {
            second.close();
        }
        writer.write(view(id, OWNER, JobStatus.RUNNING, 2));
        try (SseClient resumed = SseClient.open(url("/jobs/stream"), lastSeen.id())) {
            assertThat(JobEventStreamsIT.version(resumed.nextJob(WAIT))).isEqualTo(2);
        }
    }

    /** Another command-api in this JVM on the same broker and projection. */
    private ConfigurableApplicationContext startSecondInstance() {
        return SeparateInstance.start(Stream.concat(Stream.of("--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--jobline.topics.partitions=" + PARTITIONS,
                        "--jobline.api.projection-url=" + PROJECTION.url(),
                        "--jobline.api.workflows-dir=" + WORKFLOWS,
                        "--jobline.api.feed.replay-buffer=" + REPLAY_BUFFER),
                        Arrays.stream(TestCallers.arguments())).toArray(String[]::new));
    }
}
