package io.jobline.processor.cancel;

import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import io.jobline.processor.ProcessorProperties;
import io.jobline.processor.duplicates.SeenSubmissions;
import io.jobline.processor.poison.CommandDecoder;
import io.jobline.processor.poison.UnusableRecordException;
import io.jobline.processor.runner.JobRunner;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;

/**
 * Watches every partition of {@code jobline.commands}, outside the consumer group, for requests that concern jobs
 * running on this instance: a cancel stops the job, a retry of a job that still runs here stops the older attempt.
 * The intake's partitions may have moved to another instance since the job started (a rebalance), and the intake
 * is paused while all slots are busy, so it cannot be the one to hear these. It also hands every submission to
 * {@link SeenSubmissions}, so that the intake knows the recent submissions of a partition it takes over.
 *
 * <p>It starts reading {@code jobline.processor.duplicate-lookback} before the intake group's committed offsets (see
 * {@link WatchStart}): every command the intake has not handled yet is seen here too, so a cancel of a pending job is
 * known when the intake reaches the job's submission, and so are the submissions just before it. Records that cannot
 * be decoded or applied are skipped: the intake group writes their dead letters.
 */
@Component
public class CancelWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CancelWatch.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);

    private final CancelRequests requests;
    private final SeenSubmissions submissions;
    private final JobRunner runner;
    private final ConsumerFactory<?, ?> consumerFactory;
    private final KafkaAdmin kafkaAdmin;
    private final String intakeGroup;
    private final Duration lookback;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    public CancelWatch(CancelRequests requests, SeenSubmissions submissions, JobRunner runner,
            ConsumerFactory<?, ?> consumerFactory, KafkaAdmin kafkaAdmin, KafkaProperties kafkaProperties,
            ProcessorProperties processorProperties) {
        this.requests = requests;
        this.submissions = submissions;
        this.runner = runner;
        this.consumerFactory = consumerFactory;
        this.kafkaAdmin = kafkaAdmin;
        this.intakeGroup = kafkaProperties.getConsumer().getGroupId();
        this.lookback = processorProperties.duplicateLookback();
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        submissions.watchStarting();
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
            submissions.watchStopped();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean assignAtIntakeOffsets() {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMANDS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(intakeGroup)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> starts = WatchStart.offsets(consumer, partitions, committed, lookback,
                    Instant.now());
            consumer.assign(partitions);
            starts.forEach(consumer::seek);
            submissions.watchReading(partitions.stream().map(TopicPartition::partition).toList());
            log.info("watching {} partitions of {} for cancel and retry requests and submissions, from {} before "
                    + "the offsets of group {}", partitions.size(), Topics.COMMANDS.name(), lookback, intakeGroup);
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
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                onCommand(record);
            }
            for (TopicPartition partition : consumer.assignment()) {
                submissions.watchReadUpTo(partition.partition(), consumer.position(partition));
            }
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("watching for cancel requests failed; going on", e);
        }
    }

    private void onCommand(ConsumerRecord<String, byte[]> record) {
        JobCommand decoded;
        try {
            decoded = CommandDecoder.decode(record);
        } catch (UnusableRecordException e) {
            log.debug("skipping the command at {}-{}@{} (the intake dead-letters it): {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return;
        }
        Object command = decoded.getCommand();
        if (command instanceof JobSubmitted submitted) {
            submissions.seen(record.partition(), record.offset(), submitted);
        } else if (command instanceof JobCancelRequested cancel) {
            requests.record(cancel.getJobId(), record.offset(), cancel.getRequestedBy());
            runner.cancel(cancel.getJobId(), cancel.getRequestedBy());
        } else if (command instanceof JobRetryRequested retry) {
            runner.supersede(retry.getJobId(), retry.getAttempt());
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
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
