package io.jobline.processor.events;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import io.jobline.schemas.JobEvent;
import io.jobline.schemas.Topics;

/** Writes job events to {@code jobline.events}, keyed by job id, always inside a Kafka transaction. */
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
        template.send(Topics.EVENTS.name(), event.getJobId(), event);
    }

    /** Writes the event in a transaction of its own and returns once that transaction committed. */
    public void publishInOwnTransaction(JobEvent event) {
        template.executeInTransaction(operations -> operations.send(Topics.EVENTS.name(), event.getJobId(), event));
    }

    static String describe(JobEvent event) {
        return event.getEvent().getClass().getSimpleName() + " of job " + event.getJobId();
    }
}
