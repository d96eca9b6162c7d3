package io.jobline.processor.events;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.Topics;

/** The producer records of the topics the processor writes, each keyed by job id. */
public final class JobRecords {

    private JobRecords() {
    }

    public static ProducerRecord<String, Object> event(JobEvent event) {
        return new ProducerRecord<>(Topics.EVENTS.name(), event.getJobId(), event);
    }

    public static ProducerRecord<String, Object> logChunk(JobLogChunk chunk) {
        return new ProducerRecord<>(Topics.LOGS.name(), chunk.getJobId(), chunk);
    }
}
