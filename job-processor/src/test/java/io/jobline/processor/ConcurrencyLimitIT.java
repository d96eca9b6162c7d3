package io.jobline.processor;

import static io.jobline.processor.TestKafka.allTerminal;
import static io.jobline.processor.TestKafka.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import io.jobline.processor.intake.CommandListener;
import io.jobline.processor.intake.ListenerPauser;
import io.jobline.processor.pipeline.MockPipeline;
import io.jobline.processor.runner.JobRunner;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.Topics;

/** With two slots, six jobs run two at a time: the listener is paused while both slots are taken. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.config.name=job-processor",
        "jobline.processor.max-concurrent-jobs=2",
        "jobline.topics.partitions=2"})
@EmbeddedKafka(count = 1, brokerProperties = {"offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1"})
@DirtiesContext
class ConcurrencyLimitIT {

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    JobRunner runner;

    @Autowired
    ListenerPauser pauser;

    @Autowired
    KafkaListenerEndpointRegistry registry;

    @Test
    void neverRunsMoreJobsThanItHasSlots() throws Exception {
        List<String> jobIds = List.of("slow-1", "slow-2", "slow-3", "slow-4", "slow-5", "slow-6");
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicBoolean sawPaused = new AtomicBoolean();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleAtFixedRate(() -> {
            mostRunning.accumulateAndGet(runner.runningJobs(), Math::max);
            if (registry.getListenerContainer(CommandListener.ID).isPauseRequested()) {
                sawPaused.set(true);
            }
        }, 0, 5, TimeUnit.MILLISECONDS);

        try (KafkaProducer<String, JobCommand> producer = TestKafka.commandProducer(broker.getBrokersAsString())) {
            for (String jobId : jobIds) {
                producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), jobId,
                        submitted(jobId, "mock", Map.of(MockPipeline.DURATION_PARAMETER, "700"))));
            }
        }

        List<ConsumerRecord<String, JobEvent>> records;
        try (TestKafka.Log<JobEvent> events = TestKafka.events(broker.getBrokersAsString())) {
            records = events.until(allTerminal(jobIds), Duration.ofSeconds(60));
        } finally {
            watcher.shutdownNow();
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        }

        assertThat(records).filteredOn(r -> r.value().getEvent() instanceof JobCompleted).hasSize(6);
        assertThat(mostRunning.get()).isEqualTo(2);
        assertThat(runner.peakRunningJobs()).isEqualTo(2);
        assertThat(sawPaused).isTrue();
        assertThat(pauser.pauses()).isGreaterThanOrEqualTo(2);
        assertThat(maxOverlap(records)).isEqualTo(2);
        assertThat(registry.getListenerContainer(CommandListener.ID).isPauseRequested()).isFalse();
    }

    /** The most attempts whose [startedAt, finishedAt) intervals overlap, from the events alone. */
    private static int maxOverlap(List<ConsumerRecord<String, JobEvent>> records) {
        List<long[]> points = new ArrayList<>(); // {time, +1 start / -1 end}
        for (ConsumerRecord<String, JobEvent> record : records) {
            Object event = record.value().getEvent();
            if (event instanceof JobStarted started) {
                points.add(new long[] {millis(started.getStartedAt()), 1});
            } else if (event instanceof JobCompleted completed) {
                points.add(new long[] {millis(completed.getFinishedAt()), -1});
            }
        }
        points.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1])); // ends first
        int current = 0;
        int most = 0;
        for (long[] point : points) {
            current += (int) point[1];
            most = Math.max(most, current);
        }
        return most;
    }

    private static long millis(Instant instant) {
        return instant.toEpochMilli();
    }
}
