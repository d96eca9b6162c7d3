package io.jobline.schemas;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Jobline's topics. All are keyed by job id, so every record of a job lands on one partition, in order.
 * Each has exactly one writer: commands by command-api, events by job-processor, job-status by
 * status-projection.
 */
public final class Topics {

    public static final Topic<JobCommand> COMMANDS =
            Topic.keyedByJobId("jobline.commands", new AvroSerde<>(JobCommand.class));
    public static final Topic<JobEvent> EVENTS =
            Topic.keyedByJobId("jobline.events", new AvroSerde<>(JobEvent.class));
    public static final Topic<JobStatusView> JOB_STATUS =
            Topic.keyedByJobId("jobline.job-status", new AvroSerde<>(JobStatusView.class));
    public static final Topic<byte[]> DLQ = new Topic<>("jobline.dlq", Serdes.String(), Serdes.ByteArray());

    private static final String FOREVER = "-1";
    private static final String DLQ_RETENTION_MS = String.valueOf(30L * 24 * 3600 * 1000);

    private Topics() {
    }

    /**
     * The topics to create at start-up. Commands and events are the audit log and are kept forever;
     * job-status holds only the latest view of each job.
     */
    public static List<NewTopic> definitions(int partitions, short replicationFactor) {
        return List.of(
                new NewTopic(COMMANDS.name(), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, FOREVER)),
                new NewTopic(EVENTS.name(), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, FOREVER)),
                new NewTopic(JOB_STATUS.name(), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(DLQ.name(), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, DLQ_RETENTION_MS)));
    }
}
