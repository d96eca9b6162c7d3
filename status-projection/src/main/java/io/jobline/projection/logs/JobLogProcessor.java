package io.jobline.projection.logs;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.JobLogChunk;

/**
 * Keeps each log chunk under its {@link LogKeys chunk key} in {@value #LOGS_STORE}, and the time of each job's
 * latest chunk in {@value #LATEST_STORE}; drops the lines of jobs whose latest chunk is older than the
 * retention. Runs in the same task as the fold, so a job's lines live on the instance that holds its view.
 */
public final class JobLogProcessor implements Processor<String, JobLogChunk, Void, Void> {

    public static final String LOGS_STORE = "job-logs";
    /** job id → timestamp (ms) of its latest chunk. */
    public static final String LATEST_STORE = "job-logs-latest";

    /** Jobs whose lines one expiry run drops at most, to keep the run's transaction small. */
    static final int MAX_JOBS_PER_EXPIRY = 1000;

    private static final Logger log = LoggerFactory.getLogger(JobLogProcessor.class);

    private final LogRetention retention;
    private KeyValueStore<String, JobLogChunk> chunks;
    private KeyValueStore<String, Long> latest;

    public JobLogProcessor(LogRetention retention) {
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.chunks = context.getStateStore(LOGS_STORE);
        this.latest = context.getStateStore(LATEST_STORE);
        if (!retention.forever()) {
            context.schedule(retention.checkInterval(), PunctuationType.WALL_CLOCK_TIME,
                    now -> expire(now - retention.retentionMs()));
        }
    }

    @Override
    public void process(Record<String, JobLogChunk> record) {
        JobLogChunk chunk = record.value();
        String jobId = record.key();
        if (jobId == null || chunk == null || chunk.getAttempt() < 0 || chunk.getFirstLine() < 1) {
            log.warn("skipping a log chunk without job id, attempt or first line: key={}", jobId);
            return;
        }
        chunks.put(LogKeys.chunkKey(jobId, chunk.getAttempt(), chunk.getFirstLine()), chunk);
        Long before = latest.get(jobId);
        if (before == null || before < record.timestamp()) {
            latest.put(jobId, record.timestamp());
        }
    }

    /** Drops every line of the jobs whose latest chunk is older than {@code cutoff}. */
    void expire(long cutoff) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = latest.all()) {
            while (it.hasNext() && expired.size() < MAX_JOBS_PER_EXPIRY) {
                KeyValue<String, Long> entry = it.next();
                if (entry.value < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        for (String jobId : expired) {
            List<String> keys = new ArrayList<>();
            String prefix = LogKeys.jobPrefix(jobId);
            try (KeyValueIterator<String, JobLogChunk> it = chunks.range(prefix, LogKeys.upperBound(prefix))) {
                it.forEachRemaining(entry -> keys.add(entry.key));
            }
            keys.forEach(chunks::delete);
            latest.delete(jobId);
        }
        if (!expired.isEmpty()) {
            log.info("dropped the log lines of {} jobs past the log retention", expired.size());
        }
    }
}
