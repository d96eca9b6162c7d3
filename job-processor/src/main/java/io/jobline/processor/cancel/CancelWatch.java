package io.jobline.processor.cancel;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import io.jobline.processor.runner.JobRunner;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.Topics;

/**
 * Watches every partition of {@code jobline.commands}, outside the consumer group, for requests that concern jobs
 * running on this instance: a cancel stops the job, a retry of a job that still runs here stops the older attempt.
 * The intake's partitions may have moved to another instance since the job started (a rebalance), and the intake
 * is paused while all slots are busy, so it cannot be the one to hear these.
 *
 * <p>It starts reading where the intake group's committed offsets are: every command the intake has not handled yet
 * is seen here too, so a cancel of a pending job is known when the intake reaches the job's submission.
 */
@Component
public class CancelWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CancelWatch.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);

    private final CancelRequests requests;
    private final JobRunner runner;
    private final ConsumerFactory<?, ?> consumerFactory;
    private final KafkaAdmin kafkaAdmin;
    private final String intakeGroup;
    private volatile KafkaConsumer<String, JobCommand> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    public CancelWatch(CancelRequests requests, JobRunner runner, ConsumerFactory<?, ?> consumerFactory,
            KafkaAdmin kafkaAdmin, KafkaProperties kafkaProperties) {
        this.requests = requests;
        this.runner = runner;
        this.consumerFactory = consumerFactory;
        this.kafkaAdmin = kafkaAdmin;
        this.intakeGroup = kafkaProperties.getConsumer().getGroupId();
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                Topics.COMMANDS.valueSerde().deserializer());
        running = true;
        thread = new Thread(this::watch, "jobline-cancel-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, config.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, "jobline")
                + "-cancel-watch");
        return config;
    }

    private void watch() {
        try {
            while (running && !assignAtIntakeOffsets()) {
                TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF.toMillis());
            }
            while (running) {
                pollOnce();
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean assignAtIntakeOffsets() {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMANDS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(intakeGroup)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            consumer.assign(partitions);
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, offset.offset());
                }
            }
            log.info("watching {} partitions of {} for cancel and retry requests", partitions.size(),
                    Topics.COMMANDS.name());
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            log.warn("cannot watch {} yet, trying again in {}: {}", Topics.COMMANDS.name(), RETRY_BACKOFF,
                    e.toString());
            return false;
        }
    }

    private void pollOnce() {
        try {
            for (ConsumerRecord<String, JobCommand> record : consumer.poll(POLL_TIMEOUT)) {
                onCommand(record);
            }
        } catch (RecordDeserializationException e) {
            log.warn("skipping an undecodable command at {}@{} (the intake sends it to the DLQ)",
                    e.topicPartition(), e.offset());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("watching for cancel requests failed; going on", e);
        }
    }

    private void onCommand(ConsumerRecord<String, JobCommand> record) {
        if (record.value() == null) {
            return;
        }
        Object command = record.value().getCommand();
        if (command instanceof JobCancelRequested cancel) {
            requests.record(cancel.getJobId(), record.offset(), cancel.getRequestedBy());
            runner.cancel(cancel.getJobId(), cancel.getRequestedBy());
        } else if (command instanceof JobRetryRequested retry) {
            runner.supersede(retry.getJobId(), retry.getAttempt());
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, JobCommand> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread watching = thread;
        if (watching != null) {
            try {
                watching.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts with the runner, before the intake, so that it is reading by the time the intake takes a job. */
    @Override
    public int getPhase() {
        return JobRunner.PHASE;
    }
}
