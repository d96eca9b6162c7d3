package io.jobline.processor.events;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import io.jobline.schemas.JobEvent;

/** Writes job events (and log chunks) keyed by job id, always inside a Kafka transaction. */
@Component
public class EventPublisher {

    private final KafkaTemplate<Object, Object> template;

    public EventPublisher(KafkaTemplate<Object, Object> template) {
        this.template = template;
    }

    /**
     * Adds the event to the Kafka transaction of the calling thread: the listener container's transaction, which
     * also commits the offset of the command being handled.
     *
     * @throws IllegalStateException when the calling thread has no Kafka transaction
     */
    public void publishInCurrentTransaction(JobEvent event) {
        if (!template.inTransaction()) {
            throw new IllegalStateException("no Kafka transaction on this thread to publish " + describe(event));
        }
        send(template, JobRecords.event(event));
    }

    /** Writes the records, in order, in one transaction of its own and returns once that transaction committed. */
    public void publishInOwnTransaction(List<ProducerRecord<String, Object>> records) {
        if (records.isEmpty()) {
            return;
        }
        template.executeInTransaction(operations -> {
            records.forEach(record -> send(operations, record));
            return null;
        });
    }

    private static void send(KafkaOperations<Object, Object> operations, ProducerRecord<String, Object> record) {
        operations.send(record.topic(), record.key(), record.value());
    }

    static String describe(JobEvent event) {
        return event.getEvent().getClass().getSimpleName() + " of job " + event.getJobId();
    }
}
