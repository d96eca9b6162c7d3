package io.jobline.api.feed;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.Progress;
import io.jobline.schemas.Topics;

/**
 * Writes {@code jobline.job-status} as the projection does: keyed by job id, in Kafka transactions (the projection
 * runs exactly-once), so the feed's {@code read_committed} consumer sees a record once its transaction committed.
 */
final class StatusWriter implements AutoCloseable {

    private final KafkaProducer<String, JobStatusView> producer;

    StatusWriter(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-projection-" + UUID.randomUUID(),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all"),
                Topics.JOB_STATUS.keySerde().serializer(), Topics.JOB_STATUS.valueSerde().serializer());
        producer.initTransactions();
    }

    /** Writes the views in one transaction; returns where the last one went. */
    RecordMetadata write(JobStatusView... views) {
        return write(List.of(views));
    }

    RecordMetadata write(List<JobStatusView> views) {
        producer.beginTransaction();
        RecordMetadata last = null;
        try {
            for (JobStatusView view : views) {
                last = producer.send(new ProducerRecord<>(Topics.JOB_STATUS.name(), view.getJobId(), view)).get();
            }
        } catch (InterruptedException | ExecutionException e) {
            producer.abortTransaction();
            throw new IllegalStateException(e);
        }
        producer.commitTransaction();
        return last;
    }

    /** Writes a view in a transaction that is then aborted: no read_committed reader may see it. */
    void writeAborted(JobStatusView view) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.JOB_STATUS.name(), view.getJobId(), view));
        producer.flush();
        producer.abortTransaction();
    }

    /** A job's view at {@code version}, as the projection folds it. */
    static JobStatusView view(String jobId, String owner, JobStatus status, long version) {
        Instant at = Instant.parse("2026-11-29T08:00:00Z").plusMillis(version);
        return JobStatusView.newBuilder()
                .setJobId(jobId)
                .setOwner(owner)
                .setWorkflow("mock")
                .setParameters(Map.of("k", "v"))
                .setStatus(status)
                .setAttempt(status == JobStatus.PENDING ? 0 : 1)
                .setSubmittedAt(Instant.parse("2026-11-29T08:00:00Z"))
                .setStartedAt(status == JobStatus.PENDING ? null : at)
                .setFinishedAt(status == JobStatus.COMPLETED || status == JobStatus.FAILED ? at : null)
                .setWorker(status == JobStatus.PENDING ? null : "processor-host-1234")
                .setUpdatedAt(at)
                .setVersion(version)
                .build();
    }

    /** A running job's view with progress {@code done} of {@code total} steps. */
    static JobStatusView progress(String jobId, String owner, long version, int done, int total) {
        JobStatusView view = view(jobId, owner, JobStatus.RUNNING, version);
        view.setProgress(new Progress(done, total));
        return view;
    }

    @Override
    public void close() {
        producer.close();
    }
}
