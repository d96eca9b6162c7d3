package io.jobline.schemas;

/**
 * How the services create Jobline's topics when they do not exist yet ({@code jobline.topics.*} in every
 * service). A null value takes the default; a retention of -1 keeps records forever.
 *
 * @param partitions         partitions of every topic (default 6); all topics must have the same number
 * @param replicationFactor  replication factor of every topic (default 1; 3 on a production cluster)
 * @param commandsRetentionMs retention of {@code jobline.commands} (default -1: the audit log is kept forever)
 * @param eventsRetentionMs   retention of {@code jobline.events} (default -1: the audit log is kept forever)
 * @param dlqRetentionMs      retention of {@code jobline.dlq} (default 30 days)
 * @param logsRetentionMs     retention of {@code jobline.logs} (default 7 days)
 */
public record TopicSettings(Integer partitions, Short replicationFactor, Long commandsRetentionMs,
        Long eventsRetentionMs, Long dlqRetentionMs, Long logsRetentionMs) {

    public static final long FOREVER = -1;
    private static final long DAY_MS = 24L * 3600 * 1000;

    public TopicSettings {
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        commandsRetentionMs = commandsRetentionMs == null ? FOREVER : commandsRetentionMs;
        eventsRetentionMs = eventsRetentionMs == null ? FOREVER : eventsRetentionMs;
        dlqRetentionMs = dlqRetentionMs == null ? 30 * DAY_MS : dlqRetentionMs;
        logsRetentionMs = logsRetentionMs == null ? 7 * DAY_MS : logsRetentionMs;
        require(partitions >= 1, "jobline.topics.partitions must be at least 1, got " + partitions);
        require(replicationFactor >= 1, "jobline.topics.replication-factor must be at least 1, got " + replicationFactor);
        for (long retention : new long[] {commandsRetentionMs, eventsRetentionMs, dlqRetentionMs, logsRetentionMs}) {
            require(retention == FOREVER || retention > 0, "a retention must be -1 (forever) or positive, got " + retention);
        }
    }

    public static TopicSettings defaults() {
        return new TopicSettings(null, null, null, null, null, null);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
