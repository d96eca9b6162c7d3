package io.jobline.projection.topology;

import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.projection.fold.JobFold;
import io.jobline.schemas.JobStatusView;

/**
 * Folds each command or event into the job's view, keeps the status index in step, forwards changed views,
 * and records how far it has folded the commands topic (for read-your-writes). One instance per task, so
 * per partition.
 */
final class JobStatusProcessor implements Processor<String, SpecificRecord, String, JobStatusView> {

    private static final Logger log = LoggerFactory.getLogger(JobStatusProcessor.class);

    private final JobFold fold;
    private final FoldedOffsets offsets;
    private ProcessorContext<String, JobStatusView> context;
    private KeyValueStore<String, JobStatusView> jobs;
    private KeyValueStore<String, String> index;
    private int partition;

    JobStatusProcessor(JobFold fold, FoldedOffsets offsets) {
        this.fold = fold;
        this.offsets = offsets;
    }

    @Override
    public void init(ProcessorContext<String, JobStatusView> context) {
        this.context = context;
        this.jobs = context.getStateStore(ProjectionTopology.JOBS_STORE);
        this.index = context.getStateStore(ProjectionTopology.STATUS_INDEX_STORE);
        this.partition = context.taskId().partition();
        offsets.reset(partition); // the store was (re)initialised: what an earlier owner folded says nothing now
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String jobId = record.key();
        if (jobId == null || record.value() == null) {
            log.warn("skipping a record without job id or value: key={}", jobId);
        } else {
            fold(jobId, record);
        }
        context.recordMetadata()
                .filter(metadata -> metadata.topic().equals(offsets.topic()))
                .ifPresent(metadata -> offsets.folded(metadata.partition(), metadata.offset()));
    }

    private void fold(String jobId, Record<String, SpecificRecord> record) {
        JobStatusView current = jobs.get(jobId);
        JobStatusView next = fold.apply(current, record.value(), Instant.ofEpochMilli(record.timestamp()));
        if (next == current) {
            return; // a duplicate or a stale record: nothing changed, nothing to forward
        }
        jobs.put(jobId, next);
        if (current == null || current.getStatus() != next.getStatus()) {
            if (current != null) {
                index.delete(ProjectionTopology.indexKey(current.getStatus(), jobId));
            }
            index.put(ProjectionTopology.indexKey(next.getStatus(), jobId), jobId);
        }
        context.forward(record.withValue(next));
    }

    @Override
    public void close() {
        offsets.reset(partition);
    }
}
