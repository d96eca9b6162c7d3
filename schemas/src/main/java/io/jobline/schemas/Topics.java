package io.jobline.schemas;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Jobline's topics. All are keyed by job id, so every record of a job lands on one partition, in order.
 * Each service writes its own topics: commands by command-api (and automatic retries by job-processor's
 * supervisor), events and logs by job-processor, job-status by status-projection.
 */
public final class Topics {

    public static final Topic<JobCommand> COMMANDS =
            Topic.keyedByJobId("jobline.commands", new AvroSerde<>(JobCommand.class));
    public static final Topic<JobEvent> EVENTS =
            Topic.keyedByJobId("jobline.events", new AvroSerde<>(JobEvent.class));
    public static final Topic<JobStatusView> JOB_STATUS =
            Topic.keyedByJobId("jobline.job-status", new AvroSerde<>(JobStatusView.class));
    public static final Topic<JobLogChunk> LOGS =
            Topic.keyedByJobId("jobline.logs", new AvroSerde<>(JobLogChunk.class));
    public static final Topic<byte[]> DLQ = new Topic<>("jobline.dlq", Serdes.String(), Serdes.ByteArray());

    private Topics() {
    }

    /**
     * The topics to create at start-up. Commands and events are the audit log (kept forever by default);
     * job-status is compacted and holds the latest view of each job; logs are kept for a bounded time.
     */
    public static List<NewTopic> definitions(TopicSettings settings) {
        return List.of(
                topic(COMMANDS, settings, retention(settings.commandsRetentionMs())),
                topic(EVENTS, settings, retention(settings.eventsRetentionMs())),
                topic(JOB_STATUS, settings,
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                topic(LOGS, settings, retention(settings.logsRetentionMs())),
                topic(DLQ, settings, retention(settings.dlqRetentionMs())));
    }

    private static NewTopic topic(Topic<?> topic, TopicSettings settings, Map<String, String> configs) {
        return new NewTopic(topic.name(), settings.partitions(), settings.replicationFactor()).configs(configs);
    }

    private static Map<String, String> retention(long retentionMs) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retentionMs));
    }
}
