package io.jobline.projection;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How Jobline's topics are created ({@code jobline.topics.*}), shared by every service. */
@ConfigurationProperties("jobline.topics")
public record TopicProperties(@DefaultValue("6") int partitions, @DefaultValue("1") short replicationFactor) {
}
