package io.jobline.processor;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How Jobline's topics are created at start-up when they do not exist yet, {@code jobline.topics.*}. */
@ConfigurationProperties("jobline.topics")
public record TopicsProperties(@DefaultValue("6") int partitions, @DefaultValue("1") short replicationFactor) {

    public TopicsProperties {
        if (partitions < 1) {
            throw new IllegalArgumentException("jobline.topics.partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("jobline.topics.replication-factor must be at least 1, got " + replicationFactor);
        }
    }
}
