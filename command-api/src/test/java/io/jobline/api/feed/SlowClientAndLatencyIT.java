package io.jobline.api.feed;

import static io.jobline.api.feed.StatusWriter.progress;
import static io.jobline.api.feed.StatusWriter.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.micrometer.core.instrument.MeterRegistry;

import io.jobline.api.feed.SseClient.Event;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;

/**
 * A client that stops reading is cut off without holding up anyone else; and how long a change takes from Kafka to
 * an SSE client (printed, not asserted).
 */
class SlowClientAndLatencyIT extends FeedIntegrationTest {

    private static final int BATCH = 50;

    @Autowired
    MeterRegistry meters;
    private static final String BULK = "x".repeat(3000);

    @Test
    void clientsThatStopReadingAreResyncedOrCutOffWhileAnotherOnTheSameInstanceGetsEveryEvent() throws Exception {
        int before = feed.streams();
        double cutOffsBefore = cutOffs();
        try (RawSseConnection paused = RawSseConnection.open(port, "/jobs/stream");
                RawSseConnection gone = RawSseConnection.open(port, "/jobs/stream");
                SseClient normal = SseClient.open(url("/jobs/stream"), null)) {
            normal.next(WAIT);
            await().atMost(WAIT).until(() -> feed.streams() == before + 3);

            int written = 0;
            List<Long> latencies = new ArrayList<>();
            while (feed.streams() > before + 1) {
                assertThat(written).as("the clients that do not read should have been cut off by now").isLessThan(20_000);
                List<JobStatusView> views = new ArrayList<>();
                Set<String> expected = new HashSet<>();
                for (int i = 0; i < BATCH; i++) {
                    JobStatusView view = view(newJobId(), OWNER, JobStatus.PENDING, 1);
                    view.setParameters(Map.of("bulk", BULK));
                    views.add(view);
                    expected.add(view.getJobId());
                }
                writer.write(views);
                long committed = System.nanoTime();
                Set<String> got = new HashSet<>();
                while (got.size() < BATCH) {
                    Event event = normal.nextJob(WAIT);
                    got.add(JobEventStreamsIT.json(event).get("id").asString());
                    latencies.add(event.receivedNanos() - committed);
                }
                assertThat(got).isEqualTo(expected);
                written += BATCH;
            }
            System.out.printf("two clients stopped reading: both got resync after %d events (%.1f MB) were written; "
                    + "the normal client meanwhile got every one of them, commit -> event: %s%n",
                    written, written * (BULK.length() + 600) / 1e6, Percentiles.of(latencies).summary());

            // one resumes reading at once: it gets what was on its way, then (if in time) the resync, then the end
            RawSseConnection.Received late = paused.readToEnd(WAIT);
            boolean gotResync = late.body().contains("event:resync");
            System.out.printf("the client that read again at once: %d job events, then %s%n", jobEvents(late),
                    gotResync ? "its resync event and the end of the stream" : "the closed connection");
            assertThat(jobEvents(late)).isLessThan(written);
            if (gotResync) {
                String[] events = late.body().split("\n\n");
                assertThat(events[events.length - 1]).contains("event:resync").contains("\"reason\":\"slow-client\"");
                assertThat(late.endedProperly()).isTrue();
            }

            // the other never reads: once resync-timeout passed, its connection is closed without the resync
            await().atMost(WAIT).until(() -> cutOffs() >= cutOffsBefore + (gotResync ? 1 : 2));
            RawSseConnection.Received never = gone.readToEnd(WAIT);
            System.out.printf("the client that never read: %d job events were in its socket buffers, then the "
                    + "connection closed%n", jobEvents(never));
            assertThat(never.body()).doesNotContain("event:resync");
            assertThat(never.endedProperly()).isFalse();

            // the normal stream goes on
            writer.write(view(newJobId(), OWNER, JobStatus.PENDING, 1));
            assertThat(normal.nextJob(WAIT).isJob()).isTrue();
        }
    }

    private static long jobEvents(RawSseConnection.Received received) {
        return Arrays.stream(received.body().split("\n\n")).filter(event -> event.contains("event:job")).count();
    }

    private double cutOffs() {
        return meters.counter("jobline.feed.cut-offs").count();
    }

    @Test
    void deliveryLatencyFromTheCommittedRecordToTheSseClient() throws Exception {
        String id = newJobId();
        writer.write(view(id, OWNER, JobStatus.PENDING, 1));
        projectionShows(view(id, OWNER, JobStatus.PENDING, 1));
        int warmUp = 50;
        int measured = 300;
        List<Long> fromSend = new ArrayList<>();
        List<Long> fromCommit = new ArrayList<>();
        List<Long> allJobsFromCommit = new ArrayList<>();
        try (SseClient job = SseClient.open(url("/jobs/" + id + "/events"), null);
                SseClient all = SseClient.open(url("/jobs/stream"), null)) {
            job.nextJob(WAIT);
            all.next(WAIT);
            for (int version = 2; version < 2 + warmUp + measured; version++) {
                long sent = System.nanoTime();
                writer.write(progress(id, OWNER, version, version, 1000));
                long committed = System.nanoTime();
                Event event = job.nextJob(WAIT);
                Event fromAll = all.nextJob(WAIT);
                assertThat(JobEventStreamsIT.version(event)).isEqualTo(version);
                assertThat(JobEventStreamsIT.version(fromAll)).isEqualTo(version);
                if (version >= 2 + warmUp) {
                    fromSend.add(event.receivedNanos() - sent);
                    fromCommit.add(event.receivedNanos() - committed);
                    allJobsFromCommit.add(fromAll.receivedNanos() - committed);
                }
            }
        }
        System.out.printf("SSE delivery latency over %d events, one at a time (transactional write as the "
                + "projection does):%n", measured);
        System.out.printf("  send -> job stream event:        %s%n", Percentiles.of(fromSend).summary());
        System.out.printf("  commit -> job stream event:      %s%n", Percentiles.of(fromCommit).summary());
        System.out.printf("  commit -> /jobs/stream event:    %s%n", Percentiles.of(allJobsFromCommit).summary());
    }

    /** p50, p99 and max of nanosecond samples, in milliseconds. */
    record Percentiles(double p50, double p99, double max) {

        static Percentiles of(List<Long> nanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Percentiles(at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        }

        private static double at(long[] sorted, double quantile) {
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
        }

        String summary() {
            return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", p50, p99, max);
        }
    }
}
