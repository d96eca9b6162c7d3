package io.jobline.api.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How Jobline's topics are created at start-up ({@code jobline.topics.*}, shared by all services). */
@ConfigurationProperties("jobline.topics")
public record TopicProperties(@DefaultValue("6") int partitions, @DefaultValue("1") short replicationFactor) {

    public TopicProperties {
        if (partitions < 1) {
            throw new IllegalArgumentException("jobline.topics.partitions must be at least 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("jobline.topics.replication-factor must be at least 1");
        }
    }
}
