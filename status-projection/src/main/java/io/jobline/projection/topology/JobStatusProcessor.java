package io.jobline.projection.topology;

import java.time.Duration;
import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.projection.fold.JobFold;
import io.jobline.projection.history.JobHistoryWriter;
import io.jobline.projection.idempotency.IdempotencyKeys;
import io.jobline.projection.idempotency.IdempotencyListener;
import io.jobline.projection.listing.JobIndexer;
import io.jobline.schemas.JobStatusView;

/**
 * Appends each command or event to its job's history, folds it into the job's view, keeps the listing index
 * and counts in step, forwards changed views, tells the {@link ViewListener} (long-polls), and records how
 * far it has folded the commands topic (read-your-writes). A submission that repeats another job's
 * idempotency key is skipped before any of this; the first one's key is stored. One instance per task, so per
 * partition.
 */
final class JobStatusProcessor implements Processor<String, SpecificRecord, String, JobStatusView> {

    private static final Logger log = LoggerFactory.getLogger(JobStatusProcessor.class);

    private final JobFold fold;
    private final FoldedOffsets offsets;
    private final ViewListener listener;
    private final IdempotencyListener keyListener;
    private final Duration keyPurgeInterval;
    private ProcessorContext<String, JobStatusView> context;
    private KeyValueStore<String, JobStatusView> jobs;
    private JobIndexer indexer;
    private JobHistoryWriter history;
    private IdempotencyKeys keys;
    private int partition;

    JobStatusProcessor(JobFold fold, FoldedOffsets offsets, ViewListener listener, IdempotencyListener keyListener,
            Duration keyPurgeInterval) {
        this.fold = fold;
        this.offsets = offsets;
        this.listener = listener;
        this.keyListener = keyListener;
        this.keyPurgeInterval = keyPurgeInterval;
    }

    @Override
    public void init(ProcessorContext<String, JobStatusView> context) {
        this.context = context;
        this.jobs = context.getStateStore(ProjectionTopology.JOBS_STORE);
        this.indexer = new JobIndexer(context.getStateStore(ProjectionTopology.INDEX_STORE),
                context.getStateStore(ProjectionTopology.COUNTS_STORE));
        this.history = new JobHistoryWriter(context.getStateStore(JobHistoryWriter.HISTORY_STORE));
        this.keys = new IdempotencyKeys(context.getStateStore(IdempotencyKeys.STORE), keyListener);
        this.partition = context.taskId().partition();
        offsets.reset(partition); // the store was (re)initialised: what an earlier owner folded says nothing now
        context.schedule(keyPurgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purgeKeys);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String jobId = record.key();
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        if (jobId == null || record.value() == null) {
            log.warn("skipping a record without job id or value: key={}", jobId);
        } else if (!keys.isDuplicate(jobId, record.value())) {
            history.append(jobId, record.value(), metadata == null ? null : metadata.topic(),
                    metadata == null ? -1 : metadata.partition(), metadata == null ? -1 : metadata.offset(),
                    record.timestamp());
            fold(jobId, record);
        }
        if (metadata != null && metadata.topic().equals(offsets.topic())) {
            offsets.folded(metadata.partition(), metadata.offset());
        }
    }

    private void fold(String jobId, Record<String, SpecificRecord> record) {
        JobStatusView current = jobs.get(jobId);
        JobStatusView next = fold.apply(current, record.value(), Instant.ofEpochMilli(record.timestamp()));
        if (next == current) {
            return; // a duplicate or a stale record: nothing changed, nothing to forward
        }
        jobs.put(jobId, next);
        indexer.update(jobId, current, next);
        keys.submitted(partition, jobId, record.value()); // only a submission that made its job gets here
        context.forward(record.withValue(next));
        listener.changed(partition, next);
    }

    /**
     * Drops the keys whose window has passed, by the wall clock but never ahead of the records folded: while a
     * rebuild replays old submissions, the keys they need to turn away later duplicates stay.
     */
    private void purgeKeys(long wallClockMs) {
        keys.purge(Instant.ofEpochMilli(Math.min(wallClockMs, context.currentStreamTimeMs())));
    }

    @Override
    public void close() {
        offsets.reset(partition);
        listener.partitionClosed(partition);
        keyListener.partitionClosed(partition);
    }
}
