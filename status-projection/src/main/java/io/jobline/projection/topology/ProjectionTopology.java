package io.jobline.projection.topology;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import io.jobline.projection.fold.JobFold;
import io.jobline.projection.logs.JobLogProcessor;
import io.jobline.projection.logs.LogRetention;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.Topics;

/**
 * The projection's topology: {@code jobline.commands} and {@code jobline.events} (both keyed by job id and
 * co-partitioned) are merged and folded by {@link JobStatusProcessor} into two persistent stores, and every
 * changed view is written to the compacted {@code jobline.job-status}. {@code jobline.logs} (co-partitioned
 * too) is merged into the same sub-topology and split off to {@link JobLogProcessor}, so that a job's log
 * lines are in the same task, and so on the same instance, as its view: the query API finds both with the
 * same routing.
 *
 * <ul>
 * <li>{@value #JOBS_STORE}: job id → {@link JobStatusView}. Job ids are UUIDv7, so the store's key order is
 * creation order and a newest-first page of all jobs is a {@code reverseRange} seek.</li>
 * <li>{@value #STATUS_INDEX_STORE}: {@code <STATUS>/<jobId>} → job id, one entry per job under its current
 * status, so a newest-first page of one status is a {@code reverseRange} seek too.</li>
 * <li>{@value JobLogProcessor#LOGS_STORE}: log chunks by job, attempt and first line (see
 * {@link io.jobline.projection.logs.LogKeys}), and {@value JobLogProcessor#LATEST_STORE}: the time of each
 * job's latest chunk, for the retention.</li>
 * </ul>
 * Built without Spring, so tests can run it in a {@code TopologyTestDriver}.
 */
public final class ProjectionTopology {

    public static final String JOBS_STORE = "jobs";
    public static final String STATUS_INDEX_STORE = "jobs-by-status";

    /** Separates status and job id in the index keys; sorts below every character of a job id. */
    public static final char INDEX_SEPARATOR = '/';

    private ProjectionTopology() {
    }

    /** {@link #build(StreamsBuilder, JobFold, FoldedOffsets, LogRetention)} keeping logs forever. */
    public static KStream<String, JobStatusView> build(StreamsBuilder builder, JobFold fold, FoldedOffsets offsets) {
        return build(builder, fold, offsets, LogRetention.FOREVER);
    }

    /** Adds the stores, the sources, the fold and the sink to {@code builder}; returns the stream of changed views. */
    public static KStream<String, JobStatusView> build(StreamsBuilder builder, JobFold fold, FoldedOffsets offsets,
            LogRetention logRetention) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JOBS_STORE), Serdes.String(), Topics.JOB_STATUS.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATUS_INDEX_STORE), Serdes.String(), Serdes.String()));
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
                .process(() -> new JobStatusProcessor(fold, offsets), Named.as("fold"), JOBS_STORE, STATUS_INDEX_STORE);
        views.to(Topics.JOB_STATUS.name(),
                Produced.with(Topics.JOB_STATUS.keySerde(), Topics.JOB_STATUS.valueSerde()).withName("job-status"));
        return views;
    }

    /** The index key of a job under a status. */
    public static String indexKey(JobStatus status, String jobId) {
        return status.name() + INDEX_SEPARATOR + jobId;
    }

    /** The smallest index key of a status (every key of the status sorts above it). */
    public static String indexLowerBound(JobStatus status) {
        return status.name() + INDEX_SEPARATOR;
    }

    /** A key above every index key of a status and below those of any other status. */
    public static String indexUpperBound(JobStatus status) {
        return status.name() + (char) (INDEX_SEPARATOR + 1);
    }
}
