package io.jobline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void defaultsKeepTheAuditLogForeverAndCompactTheStatusTopic() {
        Map<String, NewTopic> topics = byName(TopicSettings.defaults());

        assertThat(topics).containsOnlyKeys("jobline.commands", "jobline.events", "jobline.job-status", "jobline.logs",
                "jobline.dlq");
        assertThat(topics.values()).allSatisfy(topic -> {
            assertThat(topic.numPartitions()).isEqualTo(6);
            assertThat(topic.replicationFactor()).isEqualTo((short) 1);
        });
        assertThat(topics.get("jobline.commands").configs()).containsEntry("retention.ms", "-1");
        assertThat(topics.get("jobline.events").configs()).containsEntry("retention.ms", "-1");
        assertThat(topics.get("jobline.job-status").configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.get("jobline.dlq").configs()).containsEntry("retention.ms", "2592000000");
        assertThat(topics.get("jobline.logs").configs()).containsEntry("retention.ms", "604800000");
    }

    @Test
    void everySettingIsTaken() {
        Map<String, NewTopic> topics = byName(new TopicSettings(12, (short) 3, 1000L, 2000L, 3000L, 4000L));

        assertThat(topics.get("jobline.commands").numPartitions()).isEqualTo(12);
        assertThat(topics.get("jobline.events").replicationFactor()).isEqualTo((short) 3);
        assertThat(topics.get("jobline.commands").configs()).containsEntry("retention.ms", "1000");
        assertThat(topics.get("jobline.events").configs()).containsEntry("retention.ms", "2000");
        assertThat(topics.get("jobline.dlq").configs()).containsEntry("retention.ms", "3000");
        assertThat(topics.get("jobline.logs").configs()).containsEntry("retention.ms", "4000");
    }

    @Test
    void nonsenseIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new TopicSettings(0, null, null, null, null, null)).hasMessageContaining("partitions");
        assertThatThrownBy(() -> new TopicSettings(null, (short) 0, null, null, null, null))
                .hasMessageContaining("replication-factor");
        assertThatThrownBy(() -> new TopicSettings(null, null, 0L, null, null, null)).hasMessageContaining("retention");
    }

    private static Map<String, NewTopic> byName(TopicSettings settings) {
        return Topics.definitions(settings).stream().collect(Collectors.toMap(NewTopic::name, t -> t));
    }
}
