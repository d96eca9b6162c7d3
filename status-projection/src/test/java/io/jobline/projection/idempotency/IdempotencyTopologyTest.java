package io.jobline.projection.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.projection.ProjectionDriver;
import io.jobline.projection.fold.JobFold;
import io.jobline.projection.history.JobHistoryReader;
import io.jobline.projection.history.JobHistoryWriter;
import io.jobline.projection.logs.LogRetention;
import io.jobline.projection.topology.FoldedOffsets;
import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.projection.topology.ViewListener;
import io.jobline.schemas.Idempotency;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

/**
 * The {@code idempotency-keys} store as the real topology keeps it (RocksDB stores, Kafka Streams' test
 * driver): the first submission of an owner's key wins, a later one inside the window leaves no trace, one
 * after the window makes a new job, a repeated submission of an existing job changes nothing, expired keys are
 * purged by the wall clock but never ahead of the records folded, and a waiting lookup ends when the fold
 * stores its key.
 */
class IdempotencyTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    @TempDir
    Path stateDir;

    private final IdempotencyWatches watches = new IdempotencyWatches();
    private ProjectionDriver driver;
    private TestInputTopic<String, JobCommand> commands;
    private TestInputTopic<String, JobEvent> events;
    private TestOutputTopic<String, JobStatusView> status;
    private KeyValueStore<String, JobStatusView> jobs;
    private KeyValueStore<String, IdempotencyEntry> keys;
    private int sequence;

    private void start(Instant wallClock) {
        StreamsBuilder builder = new StreamsBuilder();
        ProjectionTopology.build(builder, new JobFold(), new FoldedOffsets(Topics.COMMANDS.name()), LogRetention.FOREVER,
                ViewListener.NONE, watches, PURGE_INTERVAL);
        driver = ProjectionDriver.start(builder, stateDir, "idempotency-test", wallClock);
        commands = driver.commands();
        events = driver.events();
        status = driver.status();
        jobs = driver.store(ProjectionTopology.JOBS_STORE);
        keys = driver.store(IdempotencyKeys.STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void theFirstSubmissionOfAKeyWinsAndALaterOneLeavesNoTrace() {
        start(T0);
        String first = jobId(T0);
        String again = jobId(T0.plusSeconds(1));
        submit(first, "alice", "key-1", "mock", T0);
        submit(again, "alice", "key-1", "mock", T0.plus(Duration.ofHours(23)));

        String storeKey = Idempotency.storeKey("alice", "key-1");
        assertThat(keys.get(storeKey)).isEqualTo(new IdempotencyEntry(first,
                Idempotency.fingerprint("mock", Map.of("n", "1")), T0));
        assertThat(jobs.get(again)).isNull();
        assertThat(history(again)).isEmpty();
        assertThat(indexKeysOf(again)).isEmpty();
        assertThat(this.<Long>store(ProjectionTopology.COUNTS_STORE).get("all")).isEqualTo(1);
        assertThat(status.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(first);

        // the same key of another owner is another key
        String bobs = jobId(T0.plusSeconds(2));
        submit(bobs, "bob", "key-1", "mock", T0.plusSeconds(2));
        assertThat(jobs.get(bobs)).isNotNull();
        assertThat(keys.get(Idempotency.storeKey("bob", "key-1")).jobId()).isEqualTo(bobs);
        assertThat(keys.get(storeKey).jobId()).isEqualTo(first);
    }

    @Test
    void aSubmissionOnceTheWindowHasPassedMakesANewJobAndTakesTheKey() {
        start(T0);
        String first = jobId(T0);
        String later = jobId(T0.plus(Idempotency.WINDOW));
        submit(first, "alice", "key-2", "mock", T0);
        submit(later, "alice", "key-2", "wordcount", T0.plus(Idempotency.WINDOW));

        assertThat(jobs.get(first).getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(jobs.get(later).getWorkflow()).isEqualTo("wordcount");
        IdempotencyEntry entry = keys.get(Idempotency.storeKey("alice", "key-2"));
        assertThat(entry.jobId()).isEqualTo(later);
        assertThat(entry.acceptedAt()).isEqualTo(T0.plus(Idempotency.WINDOW));
        assertThat(entry.fingerprint()).isEqualTo(Idempotency.fingerprint("wordcount", Map.of("n", "1")));
    }

    @Test
    void aRepeatedSubmissionOfAnExistingJobChangesNothing() {
        start(T0);
        String id = jobId(T0);
        submit(id, "alice", "key-3", "mock", T0);
        event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(T0.plusSeconds(1)).setWorker("w").build(),
                T0.plusSeconds(1));
        event(id, JobCompleted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(T0.plusSeconds(1))
                .setFinishedAt(T0.plusSeconds(2)).build(), T0.plusSeconds(2));
        JobStatusView completed = jobs.get(id);
        Map<String, Long> counts = all(ProjectionTopology.COUNTS_STORE);
        status.readKeyValuesToList();

        // the same id again: by another owner, with another workflow and key, or exactly as before
        submit(id, "mallory", "key-4", "wordcount", T0.plusSeconds(3));
        submit(id, "alice", "key-3", "mock", T0.plusSeconds(4));

        assertThat(jobs.get(id)).isEqualTo(completed);
        assertThat(all(ProjectionTopology.COUNTS_STORE)).isEqualTo(counts);
        assertThat(status.isEmpty()).isTrue();
        assertThat(keys.get(Idempotency.storeKey("mallory", "key-4"))).isNull();
        assertThat(keys.get(Idempotency.storeKey("alice", "key-3")).jobId()).isEqualTo(id);
    }

    @Test
    void expiredKeysArePurgedByTheWallClockButNeverAheadOfTheFold() {
        start(T0);
        // a rebuild replays submissions of three days ago: their keys must stay while later records need them
        Instant old = T0.minus(Duration.ofDays(3));
        String first = jobId(old);
        submit(first, "alice", "key-5", "mock", old);
        driver.driver().advanceWallClockTime(PURGE_INTERVAL);
        String duplicate = jobId(old.plus(Duration.ofHours(1)));
        submit(duplicate, "alice", "key-5", "mock", old.plus(Duration.ofHours(1)));
        assertThat(jobs.get(duplicate)).as("turned away by the replayed key").isNull();
        assertThat(keys.get(Idempotency.storeKey("alice", "key-5"))).isNotNull();

        // the fold reaches today: the old key goes at the next purge, a fresh one stays
        String fresh = jobId(T0);
        submit(fresh, "alice", "key-6", "mock", T0);
        driver.driver().advanceWallClockTime(PURGE_INTERVAL);
        assertThat(keys.get(Idempotency.storeKey("alice", "key-5"))).isNull();
        assertThat(keys.get(Idempotency.storeKey("alice", "key-6")).jobId()).isEqualTo(fresh);

        // a day on by the wall clock, with the fold a day on too, the fresh one goes as well
        String dayLater = jobId(T0.plus(Duration.ofDays(1)));
        submit(dayLater, "alice", "key-7", "mock", T0.plus(Duration.ofDays(1)));
        driver.driver().advanceWallClockTime(Duration.ofDays(1));
        assertThat(keys.get(Idempotency.storeKey("alice", "key-6"))).isNull();
        assertThat(keys.get(Idempotency.storeKey("alice", "key-7"))).isNotNull();
        assertThat(jobs.get(first)).isNotNull(); // purging keys forgets no job
    }

    @Test
    void aWaitingLookupEndsWhenTheFoldStoresItsKey() throws Exception {
        Instant now = Instant.now();
        start(now);
        String storeKey = Idempotency.storeKey("alice", "key-8");
        CompletableFuture<IdempotencyWatches.Outcome> waiting = watches
                .await(storeKey, 0, Duration.ofSeconds(30), () -> keys.get(storeKey)).toFuture();
        assertThat(watches.waiting()).isEqualTo(1);

        String id = jobId(now);
        submit(id, "alice", "key-8", "mock", now);
        IdempotencyWatches.Outcome outcome = waiting.get(10, TimeUnit.SECONDS);
        assertThat(outcome.kind()).isEqualTo(IdempotencyWatches.Outcome.Kind.FOUND);
        assertThat(outcome.entry().jobId()).isEqualTo(id);
        assertThat(watches.waiting()).isZero();

        // a key stored before the wait began is found at once; one replayed from long ago never ends a wait
        assertThat(watches.await(storeKey, 0, Duration.ofSeconds(30), () -> keys.get(storeKey)).block(Duration.ofSeconds(5))
                .kind()).isEqualTo(IdempotencyWatches.Outcome.Kind.FOUND);
        String oldKey = Idempotency.storeKey("alice", "key-9");
        CompletableFuture<IdempotencyWatches.Outcome> forOld = watches
                .await(oldKey, 0, Duration.ofMillis(300), () -> keys.get(oldKey)).toFuture();
        submit(jobId(now.minus(Duration.ofDays(2))), "alice", "key-9", "mock", now.minus(Duration.ofDays(2)));
        assertThat(forOld.get(10, TimeUnit.SECONDS).kind()).isEqualTo(IdempotencyWatches.Outcome.Kind.TIMED_OUT);
    }

    private void submit(String id, String owner, String key, String workflow, Instant at) {
        JobSubmitted submitted = JobSubmitted.newBuilder().setJobId(id).setOwner(owner).setWorkflow(workflow)
                .setParameters(Map.of("n", "1")).setSubmittedAt(at).setRequestId("r-" + sequence++)
                .setIdempotencyKey(key).setRequestFingerprint(Idempotency.fingerprint(workflow, Map.of("n", "1")))
                .build();
        commands.pipeInput(id, JobCommand.newBuilder().setJobId(id).setCommand(submitted).build(), at);
    }

    private void event(String id, Object payload, Instant at) {
        events.pipeInput(id, JobEvent.newBuilder().setJobId(id).setEvent(payload).build(), at);
    }

    private List<String> history(String id) {
        return JobHistoryReader.read(store(JobHistoryWriter.HISTORY_STORE), id, 0, 100).entries();
    }

    private List<String> indexKeysOf(String id) {
        List<String> found = new ArrayList<>();
        try (KeyValueIterator<String, String> it = this.<String>store(ProjectionTopology.INDEX_STORE).all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.equals(id)) {
                    found.add(kv.key);
                }
            });
        }
        return found;
    }

    private <V> Map<String, V> all(String name) {
        Map<String, V> entries = new java.util.HashMap<>();
        try (KeyValueIterator<String, V> it = this.<V>store(name).all()) {
            it.forEachRemaining(kv -> entries.put(kv.key, kv.value));
        }
        return entries;
    }

    private <V> KeyValueStore<String, V> store(String name) {
        return driver.store(name);
    }

    /** A UUIDv7 of {@code at}, unique within the test. */
    private String jobId(Instant at) {
        long msb = (at.toEpochMilli() << 16) | 0x7000L | (sequence++ & 0xFFF);
        return new UUID(msb, 0x8000000000000000L | sequence).toString();
    }
}
