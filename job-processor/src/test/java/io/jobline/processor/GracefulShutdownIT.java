package io.jobline.processor;

import static io.jobline.processor.TestKafka.allTerminal;
import static io.jobline.processor.TestKafka.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import io.jobline.processor.pipeline.MockPipeline;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.Topics;

/** Closing the application (what SIGTERM does) lets the running job finish and report before it returns. */
@EmbeddedKafka(count = 1, brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
class GracefulShutdownIT {

    @Test
    void aRunningJobFinishesAndReportsBeforeTheApplicationStops(EmbeddedKafkaBroker broker) throws Exception {
        String bootstrap = broker.getBrokersAsString();
        ConfigurableApplicationContext application = JobProcessorApplication.application()
                .run("--server.port=0", "--jobline.topics.partitions=1", "--jobline.processor.worker-id=leaving");
        long closedAfterMillis;
        try (TestKafka.Log<JobEvent> events = TestKafka.events(bootstrap)) {
            try (KafkaProducer<String, JobCommand> producer = TestKafka.commandProducer(bootstrap)) {
                producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), "long-job",
                        submitted("long-job", "mock", Map.of(MockPipeline.DURATION_PARAMETER, "2000")))).get();
            }
            events.until(records -> records.stream().anyMatch(r -> r.key().equals("long-job")
                    && r.value().getEvent() instanceof JobStarted), Duration.ofSeconds(30));

            long begin = System.nanoTime();
            application.close();
            closedAfterMillis = Duration.ofNanos(System.nanoTime() - begin).toMillis();

            // committed before close returned: a read_committed consumer sees it at once
            List<ConsumerRecord<String, JobEvent>> records = events.until(allTerminal(Set.of("long-job")),
                    Duration.ofSeconds(5));
            assertThat(records).filteredOn(r -> r.key().equals("long-job") && !TestKafka.isReport(r.value()))
                    .extracting(r -> r.value().getEvent()).hasSize(2).last().isInstanceOf(JobCompleted.class);
        } finally {
            application.close();
        }
        assertThat(closedAfterMillis).as("close waited for the job").isGreaterThan(1000);
    }
}
