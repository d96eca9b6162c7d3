package io.jobline.projection.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.jobline.projection.fold.JobFold;
import io.jobline.projection.history.JobHistoryWriter;
import io.jobline.projection.idempotency.IdempotencyEntrySerde;
import io.jobline.projection.idempotency.IdempotencyKeys;
import io.jobline.projection.idempotency.IdempotencyListener;
import io.jobline.projection.logs.JobLogProcessor;
import io.jobline.projection.logs.LogRetention;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.Topics;

/**
 * The projection's topology: {@code jobline.commands} and {@code jobline.events} (both keyed by job id and
 * co-partitioned) are merged and folded by {@link JobStatusProcessor} into persistent stores, and every
 * changed view is written to the compacted {@code jobline.job-status}. {@code jobline.logs} (co-partitioned
 * too) is merged into the same sub-topology and split off to {@link JobLogProcessor}, so that a job's log
 * lines are in the same task, and so on the same instance, as its view: the query API finds both with the
 * same routing.
 *
 * <ul>
 * <li>{@value #JOBS_STORE}: job id → {@link JobStatusView}.</li>
 * <li>{@value #INDEX_STORE}: {@code <dimension>/<jobId>} → job id, one entry per job in each
 * {@link io.jobline.projection.listing.Dimension} it is in (all jobs, its status, its workflow, its workflow
 * and status, and each of these again scoped to its owner). Job ids are UUIDv7, so within a dimension key
 * order is submission order: a newest-first page, with or without a time range, is one bounded
 * {@code reverseRange}.</li>
 * <li>{@value #COUNTS_STORE}: the number of jobs per dimension, in all and per day, hour and minute of
 * submission, for the {@code total} of a listing.</li>
 * <li>{@value JobHistoryWriter#HISTORY_STORE}: every command and event of each job, in the order applied
 * ({@code <jobId>/<seq>} → the entry's JSON).</li>
 * <li>{@value IdempotencyKeys#STORE}: {@code Idempotency.storeKey(owner, key)} → the job the first submission
 * with that key made (see {@link IdempotencyKeys}); purged once the window has passed.</li>
 * <li>{@value JobLogProcessor#LOGS_STORE}: log chunks by job, attempt and first line (see
 * {@link io.jobline.projection.logs.LogKeys}), and {@value JobLogProcessor#LATEST_STORE}: the time of each
 * job's latest chunk, for the retention.</li>
 * </ul>
 * Built without Spring, so tests and the listing benchmark can run it in a {@code TopologyTestDriver}.
 */
public final class ProjectionTopology {

    public static final String JOBS_STORE = "jobs";
    public static final String INDEX_STORE = "job-index";
    public static final String COUNTS_STORE = "job-counts";

    /** How often idempotency keys past their window are purged, unless told otherwise. */
    public static final Duration DEFAULT_KEY_PURGE_INTERVAL = Duration.ofMinutes(10);

    private ProjectionTopology() {
    }

    /** The stores of the fold ({@link #foldProcessor}): views, listing index and counts, history, idempotency keys. */
    public static List<StoreBuilder<KeyValueStore<String, ?>>> foldStores() {
        return List.of(
                store(JOBS_STORE, Topics.JOB_STATUS.valueSerde()),
                store(INDEX_STORE, Serdes.String()),
                store(COUNTS_STORE, Serdes.Long()),
                store(JobHistoryWriter.HISTORY_STORE, Serdes.String()),
                store(IdempotencyKeys.STORE, new IdempotencyEntrySerde()));
    }

    /** The processor that folds commands and events into the {@link #foldStores()}. */
    public static Processor<String, SpecificRecord, String, JobStatusView> foldProcessor(JobFold fold,
            FoldedOffsets offsets, ViewListener listener) {
        return foldProcessor(fold, offsets, listener, IdempotencyListener.NONE, DEFAULT_KEY_PURGE_INTERVAL);
    }

    /** {@link #foldProcessor(JobFold, FoldedOffsets, ViewListener)} telling {@code keyListener} of stored keys. */
    public static Processor<String, SpecificRecord, String, JobStatusView> foldProcessor(JobFold fold,
            FoldedOffsets offsets, ViewListener listener, IdempotencyListener keyListener, Duration keyPurgeInterval) {
        return new JobStatusProcessor(fold, offsets, listener, keyListener, keyPurgeInterval);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static StoreBuilder<KeyValueStore<String, ?>> store(String name, Serde<?> valueSerde) {
        return (StoreBuilder) Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }

    /** {@link #build(StreamsBuilder, JobFold, FoldedOffsets, LogRetention, ViewListener)} keeping logs forever. */
    public static KStream<String, JobStatusView> build(StreamsBuilder builder, JobFold fold, FoldedOffsets offsets) {
        return build(builder, fold, offsets, LogRetention.FOREVER, ViewListener.NONE);
    }

    /** The topology without a listener of stored idempotency keys, purging them every 10 minutes. */
    public static KStream<String, JobStatusView> build(StreamsBuilder builder, JobFold fold, FoldedOffsets offsets,
            LogRetention logRetention, ViewListener listener) {
        return build(builder, fold, offsets, logRetention, listener, IdempotencyListener.NONE, DEFAULT_KEY_PURGE_INTERVAL);
    }

    /**
     * Adds the stores, the sources, the fold and the sink to {@code builder}; returns the stream of changed views.
     *
     * @param listener         told of every stored view (long-polls)
     * @param keyListener      told of every stored idempotency key (lookups waiting for one)
     * @param keyPurgeInterval how often (wall-clock time) idempotency keys past their window are purged
     */
    public static KStream<String, JobStatusView> build(StreamsBuilder builder, JobFold fold, FoldedOffsets offsets,
            LogRetention logRetention, ViewListener listener, IdempotencyListener keyListener, Duration keyPurgeInterval) {
        foldStores().forEach(builder::addStateStore);
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(JobLogProcessor.LOGS_STORE), Serdes.String(), Topics.LOGS.valueSerde())
                .withLoggingEnabled(logRetention.changelogConfig()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JobLogProcessor.LATEST_STORE), Serdes.String(), Serdes.Long()));

        KStream<String, SpecificRecord> commands = builder
                .stream(Topics.COMMANDS.name(),
                        Consumed.with(Topics.COMMANDS.keySerde(), Topics.COMMANDS.valueSerde()).withName("commands"))
                .mapValues(command -> (SpecificRecord) command, Named.as("commands-as-records"));
        KStream<String, SpecificRecord> events = builder
                .stream(Topics.EVENTS.name(),
                        Consumed.with(Topics.EVENTS.keySerde(), Topics.EVENTS.valueSerde()).withName("events"))
                .mapValues(event -> (SpecificRecord) event, Named.as("events-as-records"));
        KStream<String, SpecificRecord> logs = builder
                .stream(Topics.LOGS.name(),
                        Consumed.with(Topics.LOGS.keySerde(), Topics.LOGS.valueSerde()).withName("logs"))
                .mapValues(chunk -> (SpecificRecord) chunk, Named.as("logs-as-records"));

        Map<String, KStream<String, SpecificRecord>> byKind = commands
                .merge(events, Named.as("commands-and-events"))
                .merge(logs, Named.as("all-records"))
                .split(Named.as("records-"))
                .branch((jobId, record) -> record instanceof JobLogChunk, Branched.as("log-chunks"))
                .defaultBranch(Branched.as("to-fold"));

        byKind.get("records-log-chunks")
                .mapValues(record -> (JobLogChunk) record, Named.as("log-chunks"))
                .process(() -> new JobLogProcessor(logRetention), Named.as("store-log-chunks"),
                        JobLogProcessor.LOGS_STORE, JobLogProcessor.LATEST_STORE);
        KStream<String, JobStatusView> views = byKind.get("records-to-fold")
                .process(() -> foldProcessor(fold, offsets, listener, keyListener, keyPurgeInterval), Named.as("fold"),
                        JOBS_STORE, INDEX_STORE, COUNTS_STORE, JobHistoryWriter.HISTORY_STORE, IdempotencyKeys.STORE);
        views.to(Topics.JOB_STATUS.name(),
                Produced.with(Topics.JOB_STATUS.keySerde(), Topics.JOB_STATUS.valueSerde()).withName("job-status"));
        return views;
    }
}
