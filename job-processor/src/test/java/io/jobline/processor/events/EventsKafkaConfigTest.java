package io.jobline.processor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import io.jobline.processor.ProcessorProperties;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.Topics;

class EventsKafkaConfigTest {

    @Test
    void theTransactionIdPrefixNamesTheWorker() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getProducer().setTransactionIdPrefix("jobline-job-processor-");
        ProcessorProperties processor = new ProcessorProperties("host-42", 8, Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(5), 1000, Duration.ofMinutes(10));

        assertThat(EventsKafkaConfig.transactionIdPrefix(kafka, processor)).isEqualTo("jobline-job-processor-host-42-");
    }

    @Test
    void withoutATransactionIdPrefixTheProcessorDoesNotStart() {
        ProcessorProperties processor = new ProcessorProperties("w", 8, Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(5), 1000, Duration.ofMinutes(10));
        assertThatThrownBy(() -> EventsKafkaConfig.transactionIdPrefix(new KafkaProperties(), processor))
                .hasMessageContaining("spring.kafka.producer.transaction-id-prefix");
    }

    @Test
    void serializesEventsAsAvroAndDeadLettersAsTheirBytes() {
        Serializer<Object> serializer = EventsKafkaConfig.valueSerializer();
        JobEvent event = JobEvents.failed("j1", 1, null, Instant.parse("2026-01-01T00:00:00Z"),
                FailureKind.CANNOT_START, "no pipeline", null);

        byte[] bytes = serializer.serialize("jobline.events", event);
        JobEvent decoded = Topics.EVENTS.valueSerde().deserializer().deserialize("jobline.events", bytes);
        assertThat(decoded).isEqualTo(event);
        assertThat(((JobFailed) decoded.getEvent()).getStartedAt()).isNull();

        byte[] raw = {1, 2, 3};
        assertThat(serializer.serialize("jobline.dlq", raw)).isEqualTo(raw);
        assertThatThrownBy(() -> serializer.serialize("x", "a string")).isInstanceOf(SerializationException.class);
    }
}
