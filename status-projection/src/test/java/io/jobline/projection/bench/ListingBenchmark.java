package io.jobline.projection.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import io.jobline.projection.fold.JobFold;
import io.jobline.projection.listing.JobListing;
import io.jobline.projection.listing.ListingQuery;
import io.jobline.projection.listing.TimeRange;
import io.jobline.projection.topology.FoldedOffsets;
import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.projection.topology.ViewListener;
import io.jobline.schemas.Failure;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

/**
 * Listing benchmark (not a test): fills the projection's real stores (RocksDB, one partition, as the
 * topology builds them) through the real fold processor with jobs submitted one every 2.6 s on average
 * (a million in 30 days), in 8 workflows, and moved through
 * their lives (submitted, started, completed / failed / cancelled, some still pending or running), and prints
 * the p50/p99 latency of a page of 50 with its total, with and without filters, at each size. The fill runs
 * the processor in a {@code MockProcessorContext} rather than a {@code TopologyTestDriver}, which commits
 * (flushing every RocksDB memtable) after each record; the stores' changelogs are left out. Run:
 *
 * <pre>
 * ./mvnw -B -q -pl status-projection test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.jobline.projection.bench.ListingBenchmark -Dexec.args="10000 1000000"
 * </pre>
 */
public final class ListingBenchmark {

    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    /** One job every 2.592 s on average: a million jobs over 30 days. */
    private static final long SPACING_MS = 2_592;
    private static final List<String> WORKFLOWS = List.of("wordcount", "wordcount", "wordcount", "steps", "steps", "mock",
            "align", "qc");
    private static final int PAGE = 50;
    private static final int RUNS = 2000;

    private final Random random = new Random(42);
    private final MockProcessorContext<String, JobStatusView> context;
    private final Processor<String, SpecificRecord, String, JobStatusView> fold;
    private final List<StateStore> stores = new ArrayList<>();
    private final KeyValueStore<String, JobStatusView> jobs;
    private final KeyValueStore<String, String> index;
    private final KeyValueStore<String, Long> counts;
    private final List<String> sampleIds = new ArrayList<>();
    private int filled;
    private long commandOffset;
    private long eventOffset;

    @SuppressWarnings("unchecked")
    private ListingBenchmark(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "listing-benchmark");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        for (StoreBuilder<KeyValueStore<String, ?>> builder : ProjectionTopology.foldStores()) {
            KeyValueStore<String, ?> store = builder.withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            stores.add(store);
        }
        jobs = context.getStateStore(ProjectionTopology.JOBS_STORE);
        index = context.getStateStore(ProjectionTopology.INDEX_STORE);
        counts = context.getStateStore(ProjectionTopology.COUNTS_STORE);
        fold = ProjectionTopology.foldProcessor(new JobFold(), new FoldedOffsets(Topics.COMMANDS.name()), ViewListener.NONE);
        fold.init(context);
    }

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = args.length == 0 ? List.of(10_000, 1_000_000)
                : Arrays.stream(args).map(Integer::parseInt).sorted().toList();
        Path stateDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "listing-benchmark-");
        ListingBenchmark benchmark = new ListingBenchmark(stateDir);
        try {
            System.out.printf(Locale.ROOT, "Listing benchmark: one partition, RocksDB stores in %s, page of %d with total, "
                    + "%d runs per query (random cursors for deeper pages)%n", stateDir, PAGE, RUNS);
            for (int size : sizes) {
                long started = System.nanoTime();
                benchmark.fillTo(size);
                System.out.printf(Locale.ROOT, "%n== %,d jobs (filled in %.1f s) ==%n", size,
                        (System.nanoTime() - started) / 1e9);
                benchmark.measure();
            }
        } finally {
            benchmark.close();
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Jobs in id order (submission order), their whole lives piped before the next one's. */
    private void fillTo(int size) {
        while (filled < size) {
            long millis = START.toEpochMilli() + filled * SPACING_MS + random.nextInt((int) SPACING_MS);
            String id = uuid7(millis, filled);
            if (filled % 97 == 0) {
                sampleIds.add(id);
            }
            live(id, WORKFLOWS.get(random.nextInt(WORKFLOWS.size())), millis);
            filled++;
            if (filled % 5_000 == 0) {
                context.resetForwards();
            }
        }
        context.resetForwards();
        stores.forEach(StateStore::flush);
    }

    private void close() {
        fold.close();
        stores.forEach(StateStore::close);
    }

    private void live(String id, String workflow, long submitted) {
        Instant at = Instant.ofEpochMilli(submitted);
        command(id, JobSubmitted.newBuilder().setJobId(id)
                .setOwner("user-" + random.nextInt(50)).setWorkflow(workflow).setParameters(Map.of("sample", "s" + random.nextInt(100)))
                .setSubmittedAt(at).setRequestId(UUID.randomUUID().toString()).build(), at);
        int fate = random.nextInt(100);
        if (fate < 3) {
            return; // still pending
        }
        if (fate < 4) { // cancelled before it started
            Instant cancel = at.plusMillis(200);
            command(id, JobCancelRequested.newBuilder()
                    .setJobId(id).setRequestedBy("user").setRequestedAt(cancel).setRequestId("c").build(), cancel);
            event(id, JobCancelled.newBuilder().setJobId(id).setAttempt(1).setCancelledAt(cancel.plusMillis(50))
                    .setRequestedBy("user").build(), cancel.plusMillis(50));
            return;
        }
        Instant started = at.plusMillis(300);
        event(id, JobStarted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(started).setWorker("vm-" + random.nextInt(8))
                .build(), started);
        if (fate < 6) {
            return; // still running
        }
        Instant finished = started.plusSeconds(30 + random.nextInt(600));
        if (fate < 14) {
            event(id, JobFailed.newBuilder().setJobId(id).setAttempt(1).setStartedAt(started).setFinishedAt(finished)
                    .setFailure(Failure.newBuilder().setKind(FailureKind.PIPELINE).setReason("rule failed").setExitCode(1).build())
                    .build(), finished);
        } else {
            event(id, JobCompleted.newBuilder().setJobId(id).setAttempt(1).setStartedAt(started).setFinishedAt(finished)
                    .build(), finished);
        }
    }

    private void command(String id, Object payload, Instant at) {
        context.setRecordMetadata(Topics.COMMANDS.name(), 0, commandOffset++);
        fold.process(new Record<>(id, JobCommand.newBuilder().setJobId(id).setCommand(payload).build(), at.toEpochMilli()));
    }

    private void event(String id, Object payload, Instant at) {
        context.setRecordMetadata(Topics.EVENTS.name(), 0, eventOffset++);
        fold.process(new Record<>(id, JobEvent.newBuilder().setJobId(id).setEvent(payload).build(), at.toEpochMilli()));
    }

    private void measure() {
        // windows inside the span filled so far, with edges on no minute, hour or day boundary
        long span = filled * SPACING_MS;
        long from = START.toEpochMilli() + span * 2 / 5 + Duration.ofMinutes(7).plusSeconds(13).plusMillis(171).toMillis();
        TimeRange oneHour = new TimeRange(from, from + Duration.ofHours(1).toMillis());
        TimeRange fifth = new TimeRange(from, from + span / 5);
        String fifthName = String.format(Locale.ROOT, "%.1f h", span / 5 / 3.6e6);
        System.out.printf(Locale.ROOT, "%-42s %10s %10s %10s %10s%n", "query (page of 50 + total)", "p50 ms", "p99 ms",
                "total", "first p50");
        run("no filter", null, null, TimeRange.ALL);
        run("status=COMPLETED", JobStatus.COMPLETED, null, TimeRange.ALL);
        run("status=RUNNING (2% of jobs)", JobStatus.RUNNING, null, TimeRange.ALL);
        run("workflow=wordcount", null, "wordcount", TimeRange.ALL);
        run("workflow=steps&status=FAILED", JobStatus.FAILED, "steps", TimeRange.ALL);
        run("submitted within 1 h", null, null, oneHour);
        run("submitted within " + fifthName + " (1/5 of all)", null, null, fifth);
        run("status=FAILED, within " + fifthName, JobStatus.FAILED, null, fifth);
        run("workflow=qc&status=COMPLETED, within 1 h", JobStatus.COMPLETED, "qc", oneHour);
    }

    private void run(String name, JobStatus status, String workflow, TimeRange range) {
        long[] first = new long[RUNS / 4];
        long[] any = new long[RUNS];
        long totalSeen = 0;
        for (int warm = 0; warm < 200; warm++) {
            read(status, workflow, range, warm % 2 == 0 ? null : randomCursor());
        }
        for (int i = 0; i < first.length; i++) {
            long t = System.nanoTime();
            totalSeen = read(status, workflow, range, null).total();
            first[i] = System.nanoTime() - t;
        }
        for (int i = 0; i < RUNS; i++) {
            String cursor = i % 4 == 0 ? null : randomCursor();
            long t = System.nanoTime();
            JobListing.Part part = read(status, workflow, range, cursor);
            any[i] = System.nanoTime() - t;
            if (part.items().size() > PAGE) {
                throw new IllegalStateException("page too large");
            }
        }
        System.out.printf(Locale.ROOT, "%-42s %10.3f %10.3f %,10d %10.3f%n", name, percentile(any, 50), percentile(any, 99),
                totalSeen, percentile(first, 50));
    }

    private JobListing.Part read(JobStatus status, String workflow, TimeRange range, String after) {
        return JobListing.read(jobs, index, counts, new ListingQuery(null, status, workflow, range, after, PAGE));
    }

    private String randomCursor() {
        return sampleIds.get(random.nextInt(sampleIds.size()));
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
    }

    private static String uuid7(long millis, long sequence) {
        long msb = (millis << 16) | 0x7000L | (sequence & 0xFFF);
        long lsb = 0x8000000000000000L | (sequence * 0x9E3779B97F4A7C15L & 0x3FFFFFFFFFFFFFFFL);
        return new UUID(msb, lsb).toString();
    }
}
