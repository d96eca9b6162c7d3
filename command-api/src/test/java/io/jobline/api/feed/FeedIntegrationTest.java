package io.jobline.api.feed;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.uuid.Generators;

import io.jobline.api.support.ApiIntegrationTest;
import io.jobline.api.support.FakeProjection;
import io.jobline.schemas.JobStatusView;

/**
 * The running command-api with its feed tuned for tests: heartbeats every 300 ms, a replay buffer of 30 records per
 * partition, catch-ups of at most 200 records, 200 events per client. One context (and broker) for every feed test.
 */
@TestPropertySource(properties = {
        "jobline.api.feed.heartbeat-interval=300ms",
        "jobline.api.feed.replay-buffer=" + FeedIntegrationTest.REPLAY_BUFFER,
        "jobline.api.feed.catch-up-max-records=" + FeedIntegrationTest.CATCH_UP_MAX,
        "jobline.api.feed.client-buffer=200",
        "jobline.api.feed.resync-timeout=3s"
})
abstract class FeedIntegrationTest extends ApiIntegrationTest {

    static final int REPLAY_BUFFER = 30;
    static final int CATCH_UP_MAX = 200;
    static final int PARTITIONS = 3;
    static final String OWNER = "tester";
    static final Duration WAIT = Duration.ofSeconds(30);

    static StatusWriter writer;

    @LocalServerPort
    int port;

    @Autowired
    StatusFeed feed;

    @BeforeAll
    static void startWriter(@Autowired EmbeddedKafkaBroker broker) {
        writer = new StatusWriter(broker.getBrokersAsString());
    }

    @AfterAll
    static void stopWriter() {
        if (writer != null) {
            writer.close();
        }
    }

    @BeforeEach
    void resetProjection() {
        PROJECTION.reset();
    }

    /** Waits until this instance's feed has read the record written to {@code written} (and all before it). */
    void awaitFeedRead(RecordMetadata written) {
        await().atMost(WAIT).until(() -> feed.position(written.partition()) > written.offset());
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    static String newJobId() {
        return Generators.timeBasedEpochGenerator().generate().toString();
    }

    /** A new job id whose records go to {@code partition} of jobline.job-status. */
    static String newJobIdOn(int partition) {
        while (true) {
            String id = newJobId();
            if (Cursors.partitionOf(id, PARTITIONS) == partition) {
                return id;
            }
        }
    }

    /** Lets the fake projection answer {@code GET /internal/jobs/{id}} with this view. */
    static void projectionShows(JobStatusView view) {
        Map<String, Object> json = FakeProjection.view(view.getJobId(), view.getStatus().name());
        json.put("owner", view.getOwner());
        json.put("version", view.getVersion());
        PROJECTION.put(json);
    }

    static String randomOwner() {
        return "other-" + UUID.randomUUID();
    }
}
