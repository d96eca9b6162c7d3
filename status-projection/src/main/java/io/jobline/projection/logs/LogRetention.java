package io.jobline.projection.logs;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;

import io.jobline.schemas.TopicSettings;

/**
 * How long the projection keeps the log lines of a job: as long as {@code jobline.logs} keeps them. A job's
 * lines are dropped together once its last chunk is older than the retention; the check runs every
 * {@code checkInterval} (wall-clock time).
 *
 * @param retentionMs   the retention of {@code jobline.logs}, or {@link TopicSettings#FOREVER}
 * @param checkInterval how often expired logs are looked for
 */
public record LogRetention(long retentionMs, Duration checkInterval) {

    /** Logs are kept forever. */
    public static final LogRetention FOREVER = new LogRetention(TopicSettings.FOREVER, Duration.ofHours(1));

    public LogRetention {
        if (retentionMs != TopicSettings.FOREVER && retentionMs <= 0) {
            throw new IllegalArgumentException("a log retention must be -1 (forever) or positive, got " + retentionMs);
        }
        if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("the log expiry check interval must be positive, got " + checkInterval);
        }
    }

    public boolean forever() {
        return retentionMs == TopicSettings.FOREVER;
    }

    /**
     * Topic configs of the log store's changelog: the changelog forgets chunks after the retention too,
     * so that a restore does not bring back what the topic no longer has.
     */
    public Map<String, String> changelogConfig() {
        if (forever()) {
            return Map.of();
        }
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
    }
}
