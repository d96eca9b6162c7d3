package io.jobline.projection.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import java.util.Random;
import java.util.UUID;

import org.apache.kafka.streams.TestInputTopic;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.projection.ProjectionDriver;

import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;

/**
 * The listing index and counts, fed by the real topology with RocksDB stores, against a brute-force model:
 * every combination of filters (owner, status, workflow), time ranges with and without aligned edges, and
 * cursors, after jobs have moved through every transition (start, finish, fail, cancel, retry, events before
 * the submission).
 */
class ListingTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-27T21:17:43.250Z");
    private static final long SPAN_MS = 3 * 86_400_000L;
    private static final int JOBS = 300;
    private static final List<String> WORKFLOWS = List.of("mock", "wordcount", "odd/name #1 ü");
    /** Owners whose names are prefixes of each other's, or hold the separator once unescaped. */
    private static final List<String> OWNERS = List.of("alice", "al", "a", "a/b", "a/RUNNING", "bob ü");

    @TempDir
    Path stateDir;

    private final Random random = new Random(20261129);
    private ProjectionDriver driver;
    private TestInputTopic<String, JobCommand> commands;
    private TestInputTopic<String, JobEvent> events;
    private KeyValueStore<String, JobStatusView> jobs;
    private KeyValueStore<String, String> index;
    private KeyValueStore<String, Long> counts;
    private final Map<String, Integer> attempts = new HashMap<>();
    private long clock = T0.toEpochMilli();

    @BeforeEach
    void startDriver() {
        driver = ProjectionDriver.start(stateDir, "listing-test", T0);
        commands = driver.commands();
        events = driver.events();
        jobs = driver.store(ProjectionTopology.JOBS_STORE);
        index = driver.store(ProjectionTopology.INDEX_STORE);
        counts = driver.store(ProjectionTopology.COUNTS_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void everyFilterCombinationMatchesTheModelThroughEveryTransition() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ids.add(uuid7(T0.toEpochMilli() + (long) (random.nextDouble() * SPAN_MS), i));
        }
        // several rounds of changes over random jobs, checking the listings after each
        for (String id : ids) {
            if (random.nextInt(10) == 0) {
                start(id); // the event overtook the submission: no workflow known yet
            }
            submit(id, WORKFLOWS.get(random.nextInt(WORKFLOWS.size())), OWNERS.get(random.nextInt(OWNERS.size())));
        }
        checkAgainstModel(100);
        for (int round = 0; round < 3; round++) {
            for (String id : ids) {
                moveOn(id);
            }
            checkAgainstModel(100);
        }
        assertCountsMatchTheIndex();
    }

    @Test
    void aTimeRangeIsAnIdRangeWithInclusiveAfterAndExclusiveBefore() {
        long base = Instant.parse("2026-11-29T08:00:00Z").toEpochMilli();
        String atBase = uuid7(base, 1);
        String justBefore = uuid7(base - 1, 2);
        String aDayLater = uuid7(base + 86_400_000L, 3);
        for (String id : List.of(atBase, justBefore, aDayLater)) {
            submit(id, "mock", "alice");
        }
        assertThat(ids(query(null, null, null, base, base + 86_400_000L, null, 10))).containsExactly(atBase);
        assertThat(ids(query(null, null, null, base - 1, base + 86_400_001L, null, 10)))
                .containsExactly(aDayLater, atBase, justBefore);
        assertThat(total(null, null, base, base + 86_400_000L)).isEqualTo(1);
        assertThat(total(null, null, base - 1, TimeRange.UNBOUNDED)).isEqualTo(3);
        assertThat(total(null, "mock", 0, base)).isEqualTo(1);
        // an instant within a millisecond admits the ids of the next one only
        ListingQuery withNanos = new ListingQuery(null, null, null,
                TimeRange.of(Instant.ofEpochMilli(base - 1).plusNanos(1), null), null, 10);
        assertThat(ids(JobListing.read(jobs, index, counts, withNanos))).containsExactly(aDayLater, atBase);
    }

    @Test
    void workflowNamesCannotReachIntoOtherWorkflowsKeys() {
        String a = uuid7(T0.toEpochMilli(), 1);
        String b = uuid7(T0.toEpochMilli() + 1, 2);
        submit(a, "a", "alice");
        submit(b, "a/RUNNING", "alice");
        assertThat(ids(query(null, null, "a", 0, TimeRange.UNBOUNDED, null, 10))).containsExactly(a);
        assertThat(total(null, "a", 0, TimeRange.UNBOUNDED)).isEqualTo(1);
        assertThat(ids(query(null, null, "a/RUNNING", 0, TimeRange.UNBOUNDED, null, 10))).containsExactly(b);
        assertThat(ids(query(null, JobStatus.PENDING, "a", 0, TimeRange.UNBOUNDED, null, 10))).containsExactly(a);
    }

    @Test
    void ownerNamesCannotReachIntoOtherOwnersKeys() {
        List<String> owners = List.of("a", "a/b", "al", "alice", "a/PENDING", "a%2Fb");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < owners.size(); i++) {
            String id = uuid7(T0.toEpochMilli() + i, i);
            ids.add(id);
            submit(id, "mock", owners.get(i));
        }
        for (int i = 0; i < owners.size(); i++) {
            String owner = owners.get(i);
            assertThat(ids(query(owner, null, null, 0, TimeRange.UNBOUNDED, null, 10))).as(owner).containsExactly(ids.get(i));
            assertThat(ids(query(owner, JobStatus.PENDING, "mock", 0, TimeRange.UNBOUNDED, null, 10))).as(owner)
                    .containsExactly(ids.get(i));
            assertThat(query(owner, null, null, T0.toEpochMilli(), T0.toEpochMilli() + 60_000, null, 1).total()).as(owner)
                    .isEqualTo(1);
        }
        assertThat(query("nobody", null, null, 0, TimeRange.UNBOUNDED, null, 10).total()).isZero();
        assertThat(ids(query(null, null, null, 0, TimeRange.UNBOUNDED, null, 10))).hasSize(owners.size());
    }

    /** Random queries: paging through each with its cursor gives the model's ids, and every page the model's total. */
    private void checkAgainstModel(int queries) {
        List<JobStatusView> all = allViews();
        for (int q = 0; q < queries; q++) {
            String owner = random.nextInt(3) == 0 ? null
                    : random.nextInt(10) == 0 ? "nobody" : OWNERS.get(random.nextInt(OWNERS.size()));
            JobStatus status = random.nextInt(3) == 0 ? null : JobStatus.values()[random.nextInt(JobStatus.values().length)];
            String workflow = random.nextInt(3) == 0 ? null : WORKFLOWS.get(random.nextInt(WORKFLOWS.size()));
            long from = 0;
            long to = TimeRange.UNBOUNDED;
            switch (random.nextInt(4)) {
                case 0 -> {
                    // no time filter
                }
                case 1 -> { // any millisecond
                    from = T0.toEpochMilli() + (long) (random.nextDouble() * SPAN_MS);
                    to = from + (long) (random.nextDouble() * SPAN_MS);
                }
                case 2 -> { // whole hours and days
                    from = Math.floorDiv(T0.toEpochMilli(), 3_600_000L) * 3_600_000L + 3_600_000L * random.nextInt(40);
                    to = from + 86_400_000L * random.nextInt(3) + 3_600_000L * random.nextInt(5) + 60_000L;
                }
                default -> { // one side only
                    if (random.nextBoolean()) {
                        from = T0.toEpochMilli() + (long) (random.nextDouble() * SPAN_MS);
                    } else {
                        to = T0.toEpochMilli() + (long) (random.nextDouble() * SPAN_MS);
                    }
                }
            }
            int limit = 1 + random.nextInt(random.nextBoolean() ? 5 : 120);
            List<String> expected = expected(all, owner, status, workflow, from, to, null);

            List<String> seen = new ArrayList<>();
            String after = null;
            for (int page = 0; page < 10_000; page++) {
                JobListing.Part part = query(owner, status, workflow, from, to, after, limit);
                assertThat(part.total()).as("total of %s %s %s [%d, %d)", owner, status, workflow, from, to)
                        .isEqualTo(expected.size());
                assertThat(part.items().size()).isLessThanOrEqualTo(limit);
                seen.addAll(ids(part));
                if (!part.hasMore()) {
                    break;
                }
                assertThat(part.items()).hasSize(limit);
                after = seen.get(seen.size() - 1);
            }
            assertThat(seen).as("listing of %s %s %s [%d, %d) by %d", owner, status, workflow, from, to, limit)
                    .containsExactlyElementsOf(expected);
            // a cursor that is not one of the listed jobs bounds the page too
            String cursor = uuid7(T0.toEpochMilli() + (long) (random.nextDouble() * SPAN_MS), 4095);
            assertThat(ids(query(owner, status, workflow, from, to, cursor, 500)))
                    .containsExactlyElementsOf(expected(all, owner, status, workflow, from, to, cursor).stream().limit(500).toList());
        }
    }

    private void assertCountsMatchTheIndex() {
        Map<String, Long> entries = new HashMap<>();
        try (KeyValueIterator<String, String> it = index.all()) {
            it.forEachRemaining(kv -> entries.merge(kv.key.substring(0, kv.key.length() - 37), 1L, Long::sum));
        }
        Map<String, Long> totals = new HashMap<>();
        try (KeyValueIterator<String, Long> it = counts.all()) {
            it.forEachRemaining(kv -> {
                if (!kv.key.matches(".*/[dhm]/\\d{12}")) {
                    totals.put(kv.key, kv.value);
                }
            });
        }
        assertThat(totals).isEqualTo(entries);
        assertThat(totals.get("all")).isEqualTo(JOBS);
        // every job has been submitted, so each is in exactly one owner's dimension
        assertThat(totals.entrySet().stream().filter(e -> e.getKey().startsWith("owner/")).mapToLong(Map.Entry::getValue).sum())
                .isEqualTo(JOBS);
    }

    private static List<String> expected(List<JobStatusView> all, String owner, JobStatus status, String workflow, long from,
            long to, String after) {
        return all.stream()
                .filter(v -> owner == null || owner.equals(v.getOwner()))
                .filter(v -> status == null || v.getStatus() == status)
                .filter(v -> workflow == null || workflow.equals(v.getWorkflow()))
                .filter(v -> {
                    long millis = JobIds.millisOf(v.getJobId()).orElseThrow();
                    return millis >= from && millis < to;
                })
                .map(JobStatusView::getJobId)
                .filter(id -> after == null || id.compareTo(after) < 0)
                .sorted(Comparator.reverseOrder())
                .toList();
    }

    private List<JobStatusView> allViews() {
        List<JobStatusView> views = new ArrayList<>();
        try (KeyValueIterator<String, JobStatusView> it = jobs.all()) {
            it.forEachRemaining(kv -> views.add(kv.value));
        }
        return views;
    }

    private JobListing.Part query(String owner, JobStatus status, String workflow, long from, long to, String after,
            int limit) {
        return JobListing.read(jobs, index, counts,
                new ListingQuery(owner, status, workflow, new TimeRange(from, to), after, limit));
    }

    private long total(JobStatus status, String workflow, long from, long to) {
        return query(null, status, workflow, from, to, null, 1).total();
    }

    private static List<String> ids(JobListing.Part part) {
        return part.items().stream().map(JobStatusView::getJobId).toList();
    }

    /** One random step of the job's life, as the processor and the API would write it. */
    private void moveOn(String id) {
        JobStatusView view = jobs.get(id);
        switch (view.getStatus()) {
            case PENDING -> {
                int r = random.nextInt(4);
                if (r == 0) {
                    cancelRequest(id);
                } else if (r < 3) {
                    start(id);
                }
            }
            case RUNNING -> {
                int r = random.nextInt(5);
                if (r == 0) {
                    complete(id);
                } else if (r == 1) {
                    fail(id);
                } else if (r == 2) {
                    cancelRequest(id);
                }
            }
            case CANCELLING -> {
                if (random.nextBoolean()) {
                    cancelled(id);
                }
            }
            case FAILED, CANCELLED -> {
                if (random.nextBoolean()) {
                    retry(id);
                }
            }
            case COMPLETED -> {
            }
        }
    }

    private int attempt(String id) {
        return attempts.getOrDefault(id, 1);
    }

    private Instant tick() {
        clock += 1000;
        return Instant.ofEpochMilli(clock);
    }

    private void submit(String id, String workflow, String owner) {
        Instant at = tick();
        JobSubmitted submitted = JobSubmitted.newBuilder().setJobId(id).setOwner(owner).setWorkflow(workflow)
                .setParameters(Map.of()).setSubmittedAt(at).setRequestId("r-" + id).build();
        commands.pipeInput(id, JobCommand.newBuilder().setJobId(id).setCommand(submitted).build(), at);
    }

    private void cancelRequest(String id) {
        Instant at = tick();
        JobCancelRequested cancel = JobCancelRequested.newBuilder().setJobId(id).setRequestedBy("bob")
                .setRequestedAt(at).setRequestId("c-" + id).build();
        commands.pipeInput(id, JobCommand.newBuilder().setJobId(id).setCommand(cancel).build(), at);
    }

    private void retry(String id) {
        Instant at = tick();
        int next = attempt(id) + 1;
        attempts.put(id, next);
        JobStatusView view = jobs.get(id);
        JobRetryRequested retry = JobRetryRequested.newBuilder().setJobId(id).setAttempt(next).setOwner("alice")
                .setWorkflow(view.getWorkflow()).setParameters(Map.of()).setRequestedBy("alice")
                .setRequestedAt(at).setRequestId("rt-" + next + "-" + id).setAutomatic(false).build();
        commands.pipeInput(id, JobCommand.newBuilder().setJobId(id).setCommand(retry).build(), at);
    }

    private void start(String id) {
        Instant at = tick();
        event(id, JobStarted.newBuilder().setJobId(id).setAttempt(attempt(id)).setStartedAt(at).setWorker("w").build(), at);
    }

    private void complete(String id) {
        Instant at = tick();
        event(id, JobCompleted.newBuilder().setJobId(id).setAttempt(attempt(id)).setStartedAt(at).setFinishedAt(at).build(), at);
    }

    private void fail(String id) {
        Instant at = tick();
        event(id, JobFailed.newBuilder().setJobId(id).setAttempt(attempt(id)).setStartedAt(at).setFinishedAt(at)
                .setFailure(Failure.newBuilder().setKind(FailureKind.PIPELINE).setReason("boom").setExitCode(1).build())
                .build(), at);
    }

    private void cancelled(String id) {
        Instant at = tick();
        event(id, JobCancelled.newBuilder().setJobId(id).setAttempt(attempt(id)).setCancelledAt(at).setRequestedBy("bob")
                .build(), at);
    }

    private void event(String id, Object payload, Instant at) {
        events.pipeInput(id, JobEvent.newBuilder().setJobId(id).setEvent(payload).build(), at);
    }

    /** A UUIDv7 holding {@code millis}. */
    static String uuid7(long millis, int sequence) {
        long msb = (millis << 16) | 0x7000L | (sequence & 0xFFF);
        long lsb = 0x8000000000000000L | ((long) sequence * 0x9E3779B97F4A7C15L & 0x3FFFFFFFFFFFFFFFL);
        return new UUID(msb, lsb).toString();
    }

}
