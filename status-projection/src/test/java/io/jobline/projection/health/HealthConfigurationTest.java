package io.jobline.projection.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import io.jobline.schemas.BrokerProbe;

class HealthConfigurationTest {

    private final HealthConfiguration health = new HealthConfiguration();
    private final StreamsBuilderFactoryBean factoryBean = mock(StreamsBuilderFactoryBean.class);
    private final HealthIndicator readiness = health.streamsHealthIndicator(factoryBean);
    private final HealthIndicator liveness = health.streamsLivenessHealthIndicator(factoryBean);

    @Test
    void beforeStreamsStartsItIsAliveButNotReady() {
        assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(readiness.health().getDetails()).containsEntry("state", "NOT_STARTED");
        assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void readyOnlyWhileRunningAndDeadOnlyInStatesItDoesNotLeave() {
        KafkaStreams streams = mock(KafkaStreams.class);
        when(factoryBean.getKafkaStreams()).thenReturn(streams);
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            when(streams.state()).thenReturn(state);
            boolean ready = state == KafkaStreams.State.RUNNING;
            boolean dead = switch (state) {
                case ERROR, PENDING_ERROR, PENDING_SHUTDOWN, NOT_RUNNING -> true;
                default -> false;
            };
            assertThat(readiness.health().getStatus()).as("readiness in " + state).isEqualTo(ready ? Status.UP : Status.DOWN);
            assertThat(liveness.health().getStatus()).as("liveness in " + state).isEqualTo(dead ? Status.DOWN : Status.UP);
        }
    }

    @Test
    void brokerIsDownWhenTheClusterDoesNotAnswer() {
        try (BrokerProbe probe = new BrokerProbe(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
                "test", Duration.ofMillis(300))) {
            var result = health.brokerHealthIndicator(probe).health();
            assertThat(result.getStatus()).isEqualTo(Status.DOWN);
            assertThat(result.getDetails()).containsKey("error");
        }
    }
}
