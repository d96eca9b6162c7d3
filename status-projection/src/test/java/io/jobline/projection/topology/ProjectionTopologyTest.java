package io.jobline.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.util.UUID;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.projection.ProjectionDriver;
import io.jobline.projection.fold.JobFold;
import io.jobline.projection.listing.JobListing;
import io.jobline.projection.listing.ListingQuery;
import io.jobline.projection.listing.TimeRange;
import io.jobline.projection.query.Page;
import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

class ProjectionTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path stateDir;

    private ProjectionDriver driver;
    private TestInputTopic<String, JobCommand> commands;
    private TestInputTopic<String, JobEvent> events;
    private TestOutputTopic<String, JobStatusView> status;
    private KeyValueStore<String, JobStatusView> jobs;
    private KeyValueStore<String, String> index;
    private KeyValueStore<String, Long> counts;
    private final FoldedOffsets offsets = new FoldedOffsets(Topics.COMMANDS.name());

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        ProjectionTopology.build(builder, new JobFold(), offsets);
        driver = ProjectionDriver.start(builder, stateDir, "projection-topology-test", T0);
        commands = driver.commands();
        events = driver.events();
        status = driver.status();
        jobs = driver.store(ProjectionTopology.JOBS_STORE);
        index = driver.store(ProjectionTopology.INDEX_STORE);
        counts = driver.store(ProjectionTopology.COUNTS_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void foldsCommandsAndEventsIntoTheStoreAndTheStatusTopic() {
        String id = id(1);
        submit(id, 1);
        start(id, 1, 2);
        complete(id, 1, 3);

        JobStatusView view = jobs.get(id);
        assertThat(view.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(view.getOwner()).isEqualTo("alice");
        assertThat(view.getWorker()).isEqualTo("worker-1");
        assertThat(view.getVersion()).isEqualTo(3);
        assertThat(view.getUpdatedAt()).isEqualTo(T0.plusSeconds(3)); // the record's timestamp

        List<KeyValue<String, JobStatusView>> out = status.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsOnly(id);
        assertThat(out).extracting(kv -> kv.value.getStatus())
                .containsExactly(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMPLETED);
        assertThat(out).extracting(kv -> kv.value.getVersion()).containsExactly(1L, 2L, 3L);
        assertThat(out.get(2).value).isEqualTo(view);
    }

    @Test
    void indexFollowsTheStatusOfEachJob() {
        String id = id(1);
        submit(id, 1);
        assertThat(indexKeys()).containsExactly("PENDING/" + id);

        start(id, 1, 2);
        assertThat(indexKeys()).containsExactly("RUNNING/" + id);

        fail(id, 1, 3);
        assertThat(indexKeys()).containsExactly("FAILED/" + id);
        assertThat(index.get("status/FAILED/" + id)).isEqualTo(id);

        start(id, 2, 4); // a retry
        assertThat(indexKeys()).containsExactly("RUNNING/" + id);
    }

    @Test
    void indexFollowsCancelAndRetry() {
        String running = id(1);
        String pending = id(2);
        submit(running, 1);
        submit(pending, 1);
        start(running, 1, 2);

        cancel(running, 3);
        cancel(pending, 3);
        assertThat(indexKeys()).containsExactlyInAnyOrder("CANCELLING/" + running, "CANCELLING/" + pending);
        assertThat(idsOf(page(JobStatus.CANCELLING, null, 10))).containsExactly(pending, running);

        cancelled(running, 1, 4);
        assertThat(indexKeys()).containsExactlyInAnyOrder("CANCELLED/" + running, "CANCELLING/" + pending);

        retry(running, 2, 5);
        assertThat(indexKeys()).containsExactlyInAnyOrder("PENDING/" + running, "CANCELLING/" + pending);
        assertThat(jobs.get(running).getAttempt()).isEqualTo(2);

        start(pending, 1, 6); // started before the cancel reached the processor: still cancelling
        assertThat(indexKeys()).containsExactlyInAnyOrder("PENDING/" + running, "CANCELLING/" + pending);
        start(running, 2, 6);
        assertThat(indexKeys()).containsExactlyInAnyOrder("RUNNING/" + running, "CANCELLING/" + pending);

        // heartbeats change the view, not the index
        heartbeat(running, 2, 7);
        assertThat(jobs.get(running).getLastHeartbeatAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(indexKeys()).containsExactlyInAnyOrder("RUNNING/" + running, "CANCELLING/" + pending);

        assertThat(status.readValuesToList()).filteredOn(view -> view.getJobId().equals(running))
                .extracting(JobStatusView::getStatus)
                .containsExactly(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.CANCELLING, JobStatus.CANCELLED,
                        JobStatus.PENDING, JobStatus.RUNNING, JobStatus.RUNNING);
    }

    @Test
    void logsAreReadInTheSameSubTopologyAsCommandsAndEvents() {
        StreamsBuilder builder = new StreamsBuilder();
        ProjectionTopology.build(builder, new JobFold(), new FoldedOffsets(Topics.COMMANDS.name()));
        var subtopologies = builder.build().describe().subtopologies();
        // one sub-topology: a job's view and its log lines are in the same task, found through the same routing
        assertThat(subtopologies).hasSize(1);
        String nodes = subtopologies.iterator().next().toString();
        assertThat(nodes).contains(Topics.COMMANDS.name(), Topics.EVENTS.name(), Topics.LOGS.name());
    }

    @Test
    void eventsBeforeTheSubmissionAreFoldedInAnyOrder() {
        String id = id(1);
        start(id, 1, 2);
        complete(id, 1, 3);
        submit(id, 4); // the command topic lagged behind

        JobStatusView view = jobs.get(id);
        assertThat(view.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(view.getOwner()).isEqualTo("alice");
        assertThat(view.getWorkflow()).isEqualTo("mock");
        assertThat(indexKeys()).containsExactly("COMPLETED/" + id);
        assertThat(status.readValuesToList()).extracting(JobStatusView::getStatus)
                .containsExactly(JobStatus.RUNNING, JobStatus.COMPLETED, JobStatus.COMPLETED);
    }

    @Test
    void duplicatesForwardNothing() {
        String id = id(1);
        submit(id, 1);
        start(id, 1, 2);
        status.readValuesToList();

        submit(id, 5);
        start(id, 1, 6);

        assertThat(status.isEmpty()).isTrue();
        assertThat(jobs.get(id).getVersion()).isEqualTo(2);
    }

    @Test
    void tracksTheFoldedOffsetOfTheCommandsTopicOnly() {
        assertThat(offsets.folded(0)).isEqualTo(FoldedOffsets.NONE);
        submit(id(1), 1);
        submit(id(2), 1);
        assertThat(offsets.folded(0)).isEqualTo(1);

        start(id(1), 1, 2);
        start(id(2), 1, 2);
        start(id(2), 1, 2);
        assertThat(offsets.folded(0)).isEqualTo(1); // events do not count

        submit(id(2), 3); // a duplicate still counts as folded
        assertThat(offsets.folded(0)).isEqualTo(2);
        assertThat(offsets.awaitFolded(0, 2).blockOptional()).isEmpty(); // completes at once
    }

    @Test
    void listsNewestFirstWithStatusFilterAndCursor() {
        // ten jobs, created in id order; odd ones start, every third of those completes
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String id = id(i);
            ids.add(id);
            submit(id, i);
        }
        for (int i = 1; i <= 10; i += 2) {
            start(ids.get(i - 1), 1, 20 + i);
        }
        complete(ids.get(0), 1, 40);
        complete(ids.get(6), 1, 41);

        // all jobs: newest first, in pages of 4
        Page<JobStatusView> first = page(null, null, 4);
        assertThat(idsOf(first)).containsExactly(ids.get(9), ids.get(8), ids.get(7), ids.get(6));
        assertThat(first.hasMore()).isTrue();
        Page<JobStatusView> second = page(null, ids.get(6), 4);
        assertThat(idsOf(second)).containsExactly(ids.get(5), ids.get(4), ids.get(3), ids.get(2));
        assertThat(second.hasMore()).isTrue();
        Page<JobStatusView> third = page(null, ids.get(2), 4);
        assertThat(idsOf(third)).containsExactly(ids.get(1), ids.get(0));
        assertThat(third.hasMore()).isFalse();

        // by status
        assertThat(idsOf(page(JobStatus.RUNNING, null, 10)))
                .containsExactly(ids.get(8), ids.get(4), ids.get(2));
        assertThat(idsOf(page(JobStatus.PENDING, null, 10)))
                .containsExactly(ids.get(9), ids.get(7), ids.get(5), ids.get(3), ids.get(1));
        assertThat(idsOf(page(JobStatus.COMPLETED, null, 10)))
                .containsExactly(ids.get(6), ids.get(0));
        assertThat(idsOf(page(JobStatus.FAILED, null, 10))).isEmpty();

        // by status, paged with the cursor
        Page<JobStatusView> pending1 = page(JobStatus.PENDING, null, 2);
        assertThat(idsOf(pending1)).containsExactly(ids.get(9), ids.get(7));
        assertThat(pending1.hasMore()).isTrue();
        Page<JobStatusView> pending2 = page(JobStatus.PENDING, ids.get(7), 2);
        assertThat(idsOf(pending2)).containsExactly(ids.get(5), ids.get(3));
        assertThat(pending2.hasMore()).isTrue();
        Page<JobStatusView> pending3 = page(JobStatus.PENDING, ids.get(3), 2);
        assertThat(idsOf(pending3)).containsExactly(ids.get(1));
        assertThat(pending3.hasMore()).isFalse();

        // an exact fit has no more
        assertThat(page(JobStatus.COMPLETED, null, 2).hasMore()).isFalse();
        // a cursor that is not a job of that status still bounds the page
        assertThat(idsOf(page(JobStatus.RUNNING, ids.get(5), 10)))
                .containsExactly(ids.get(4), ids.get(2));
    }

    @Test
    void mergesPagesOfSeveralPartitionsNewestFirst() {
        Page<String> a = new Page<>(List.of("9", "5", "1"), true);
        Page<String> b = new Page<>(List.of("8", "7"), false);
        Page<String> merged = Page.merge(List.of(a, b), s -> s, 3);
        assertThat(merged.items()).containsExactly("9", "8", "7");
        assertThat(merged.hasMore()).isTrue();

        Page<String> small = Page.merge(List.of(new Page<>(List.of("2"), false), new Page<>(List.of("3"), false)), s -> s, 3);
        assertThat(small.items()).containsExactly("3", "2");
        assertThat(small.hasMore()).isFalse();
    }

    /** The keys of the status dimension of the index, without the dimension's name: {@code <STATUS>/<id>}. */
    private List<String> indexKeys() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = index.all()) {
            it.forEachRemaining(kv -> {
                if (kv.key.startsWith("status/")) {
                    keys.add(kv.key.substring("status/".length()));
                }
            });
        }
        return keys;
    }

    private Page<JobStatusView> page(JobStatus status, String after, int limit) {
        JobListing.Part part = JobListing.read(jobs, index, counts, new ListingQuery(null, status, null, TimeRange.ALL, after, limit));
        return new Page<>(part.items(), part.hasMore());
    }

    private static List<String> idsOf(Page<JobStatusView> page) {
        return page.items().stream().map(JobStatusView::getJobId).toList();
    }

    /** A UUIDv7-shaped id whose order is the order of {@code n}. */
    static String id(int n) {
        long millis = T0.toEpochMilli() + n;
        long msb = (millis << 16) | 0x7000L | (n & 0xFFF);
        long lsb = 0x8000000000000000L | (n * 7919L);
        return new UUID(msb, lsb).toString();
    }

    private void submit(String id, int second) {
        JobSubmitted submitted = JobSubmitted.newBuilder().setJobId(id).setOwner("alice").setWorkflow("mock")
                .setParameters(Map.of("k", "v")).setSubmittedAt(T0.plusSeconds(second)).setRequestId("r-" + id).build();
        commands.pipeInput(id, JobCommand.newBuilder().setJobId(id).setCommand(submitted).build(), T0.plusSeconds(second));
    }

    private void start(String id, int attempt, int second) {
        JobStarted started = JobStarted.newBuilder().setJobId(id).setAttempt(attempt)
                .setStartedAt(T0.plusSeconds(second)).setWorker("worker-" + attempt).build();
        events.pipeInput(id, JobEvent.newBuilder().setJobId(id).setEvent(started).build(), T0.plusSeconds(second));
    }

    private void complete(String id, int attempt, int second) {
        JobCompleted completed = JobCompleted.newBuilder().setJobId(id).setAttempt(attempt)
                .setStartedAt(T0.plusSeconds(second - 1)).setFinishedAt(T0.plusSeconds(second)).build();
        events.pipeInput(id, JobEvent.newBuilder().setJobId(id).setEvent(completed).build(), T0.plusSeconds(second));
    }

    private void cancel(String id, int second) {
        JobCancelRequested cancel = JobCancelRequested.newBuilder().setJobId(id).setRequestedBy("bob")
                .setRequestedAt(T0.plusSeconds(second)).setRequestId("c-" + id).build();
        commands.pipeInput(id, JobCommand.newBuilder().setJobId(id).setCommand(cancel).build(), T0.plusSeconds(second));
    }

    private void retry(String id, int attempt, int second) {
        JobRetryRequested retry = JobRetryRequested.newBuilder().setJobId(id).setAttempt(attempt).setOwner("alice")
                .setWorkflow("mock").setParameters(Map.of("k", "v")).setRequestedBy("alice")
                .setRequestedAt(T0.plusSeconds(second)).setRequestId("r-" + attempt + "-" + id).setAutomatic(false).build();
        commands.pipeInput(id, JobCommand.newBuilder().setJobId(id).setCommand(retry).build(), T0.plusSeconds(second));
    }

    private void cancelled(String id, int attempt, int second) {
        JobCancelled cancelled = JobCancelled.newBuilder().setJobId(id).setAttempt(attempt)
                .setStartedAt(T0.plusSeconds(second - 1)).setCancelledAt(T0.plusSeconds(second)).setRequestedBy("bob").build();
        events.pipeInput(id, JobEvent.newBuilder().setJobId(id).setEvent(cancelled).build(), T0.plusSeconds(second));
    }

    private void heartbeat(String id, int attempt, int second) {
        JobHeartbeat beat = JobHeartbeat.newBuilder().setJobId(id).setAttempt(attempt).setWorker("worker-" + attempt)
                .setAt(T0.plusSeconds(second)).build();
        events.pipeInput(id, JobEvent.newBuilder().setJobId(id).setEvent(beat).build(), T0.plusSeconds(second));
    }

    private void fail(String id, int attempt, int second) {
        JobFailed failed = JobFailed.newBuilder().setJobId(id).setAttempt(attempt)
                .setStartedAt(T0.plusSeconds(second - 1)).setFinishedAt(T0.plusSeconds(second))
                .setFailure(Failure.newBuilder().setKind(FailureKind.PIPELINE).setReason("boom").setExitCode(1).build())
                .build();
        events.pipeInput(id, JobEvent.newBuilder().setJobId(id).setEvent(failed).build(), T0.plusSeconds(second));
    }
}
