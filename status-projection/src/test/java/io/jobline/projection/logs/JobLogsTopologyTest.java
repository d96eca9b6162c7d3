package io.jobline.projection.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import java.util.stream.IntStream;

import org.apache.kafka.streams.StreamsBuilder;

import org.apache.kafka.streams.TestInputTopic;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.projection.ProjectionDriver;
import io.jobline.projection.fold.JobFold;
import io.jobline.projection.topology.FoldedOffsets;
import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.projection.topology.ViewListener;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.Topics;

/** Log chunks through the projection's topology into its RocksDB store, read back as tails, and expired. */
class JobLogsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final String JOB = "0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";
    private static final String OTHER = "0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2c";
    private static final Duration RETENTION = Duration.ofHours(1);

    @TempDir
    Path stateDir;

    private ProjectionDriver driver;
    private TestInputTopic<String, JobLogChunk> logs;
    private KeyValueStore<String, JobLogChunk> chunks;
    private KeyValueStore<String, Long> latest;

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        ProjectionTopology.build(builder, new JobFold(), new FoldedOffsets(Topics.COMMANDS.name()),
                new LogRetention(RETENTION.toMillis(), Duration.ofMinutes(1)), ViewListener.NONE);
        driver = ProjectionDriver.start(builder, stateDir, "job-logs-test", T0);
        logs = driver.logs();
        chunks = driver.store(JobLogProcessor.LOGS_STORE);
        latest = driver.store(JobLogProcessor.LATEST_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aTailIsTheLastLinesOfOneAttemptInOrder() {
        // attempt 1: lines 1..25 in chunks of 10, 10, 5; attempt 2: lines 1..4
        chunk(JOB, 1, 1, 10, 1);
        chunk(JOB, 1, 11, 10, 2);
        chunk(JOB, 1, 21, 5, 3);
        chunk(JOB, 2, 1, 4, 4);
        chunk(OTHER, 1, 1, 3, 4);

        JobLogTail all = JobLogTail.read(chunks, JOB, 1, 10_000);
        assertThat(all.lines()).containsExactlyElementsOf(lines(1, 1, 25));
        assertThat(all.firstLine()).isEqualTo(1);
        assertThat(all.totalLines()).isEqualTo(25);
        assertThat(all.attempt()).isEqualTo(1);

        JobLogTail lastSeven = JobLogTail.read(chunks, JOB, 1, 7); // across a chunk boundary
        assertThat(lastSeven.lines()).containsExactlyElementsOf(lines(1, 19, 25));
        assertThat(lastSeven.firstLine()).isEqualTo(19);
        assertThat(lastSeven.totalLines()).isEqualTo(25);

        JobLogTail lastFive = JobLogTail.read(chunks, JOB, 1, 5); // exactly the last chunk
        assertThat(lastFive.lines()).containsExactlyElementsOf(lines(1, 21, 25));
        assertThat(lastFive.firstLine()).isEqualTo(21);

        JobLogTail one = JobLogTail.read(chunks, JOB, 1, 1);
        assertThat(one.lines()).containsExactly("a1 line 25");
        assertThat(one.firstLine()).isEqualTo(25);

        JobLogTail second = JobLogTail.read(chunks, JOB, 2, 10_000);
        assertThat(second.lines()).containsExactlyElementsOf(lines(2, 1, 4));
        assertThat(second.totalLines()).isEqualTo(4);

        assertThat(JobLogTail.read(chunks, OTHER, 1, 100).lines()).containsExactlyElementsOf(lines(1, 1, 3));
    }

    @Test
    void anAttemptWithoutLinesIsEmpty() {
        chunk(JOB, 1, 1, 3, 1);
        JobLogTail none = JobLogTail.read(chunks, JOB, 2, 100);
        assertThat(none.lines()).isEmpty();
        assertThat(none.firstLine()).isEqualTo(1);
        assertThat(none.totalLines()).isZero();
        assertThat(none.attempt()).isEqualTo(2);
    }

    @Test
    void keysSortByAttemptAndLineNumberNotByText() {
        chunk(JOB, 9, 1, 1, 1);
        chunk(JOB, 10, 1, 1, 2);
        chunk(JOB, 10, 100, 1, 3); // line 100 comes after line 99 and not after line 1 only by luck
        chunk(JOB, 10, 99, 1, 3);
        chunk(JOB, 10, 2, 97, 3);

        assertThat(JobLogTail.highestAttempt(chunks, JOB)).hasValue(10);
        assertThat(JobLogTail.highestAttempt(chunks, OTHER)).isEmpty();
        JobLogTail tail = JobLogTail.read(chunks, JOB, 10, 3);
        assertThat(tail.lines()).containsExactly("a10 line 98", "a10 line 99", "a10 line 100");
        assertThat(tail.firstLine()).isEqualTo(98);
        assertThat(tail.totalLines()).isEqualTo(100);
        assertThat(LogKeys.attemptOf(LogKeys.chunkKey(JOB, 10, 100))).isEqualTo(10);
    }

    @Test
    void aResentChunkReplacesItself() {
        chunk(JOB, 1, 1, 5, 1);
        chunk(JOB, 1, 1, 5, 2);
        assertThat(JobLogTail.read(chunks, JOB, 1, 100).lines()).containsExactlyElementsOf(lines(1, 1, 5));
    }

    @Test
    void theLinesOfAJobGoOnceItsLatestChunkIsOlderThanTheRetention() {
        chunk(JOB, 1, 1, 5, 0);
        chunk(JOB, 2, 1, 5, 0);
        chunk(OTHER, 1, 1, 5, 0);
        driver.driver().advanceWallClockTime(Duration.ofMinutes(30));
        chunk(OTHER, 1, 6, 5, 30 * 60); // OTHER is still writing: its first chunk stays with it

        driver.driver().advanceWallClockTime(RETENTION.minus(Duration.ofMinutes(28)));

        assertThat(keys()).allMatch(key -> key.startsWith(OTHER)).hasSize(2);
        assertThat(JobLogTail.read(chunks, JOB, 1, 100).lines()).isEmpty();
        assertThat(latest.get(JOB)).isNull();
        assertThat(JobLogTail.read(chunks, OTHER, 1, 100).lines()).containsExactlyElementsOf(lines(1, 1, 10));

        driver.driver().advanceWallClockTime(Duration.ofMinutes(30));
        assertThat(keys()).isEmpty();
    }

    private void chunk(String jobId, int attempt, long firstLine, int count, int second) {
        Instant at = T0.plusSeconds(second);
        List<String> lines = lines(attempt, firstLine, firstLine + count - 1);
        logs.pipeInput(jobId, JobLogChunk.newBuilder().setJobId(jobId).setAttempt(attempt).setFirstLine(firstLine)
                .setLines(lines).setAt(at).build(), at);
    }

    private static List<String> lines(int attempt, long from, long to) {
        return IntStream.rangeClosed((int) from, (int) to).mapToObj(n -> "a" + attempt + " line " + n).toList();
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, JobLogChunk> it = chunks.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }
}
