package io.jobline.projection.health;

import java.util.EnumSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;

import io.jobline.projection.ProjectionProperties;
import io.jobline.schemas.BrokerProbe;

/**
 * Health of the projection. Contributor names come from the bean names:
 * <ul>
 * <li>{@code broker}: DOWN while the Kafka cluster does not answer (readiness);</li>
 * <li>{@code streams}: UP only while Kafka Streams is RUNNING, so the stores are queryable (readiness); its
 * details list the partitions this instance folds ({@code activePartitions}) and keeps standby copies of
 * ({@code standbyPartitions});</li>
 * <li>{@code streamsLiveness}: DOWN once Kafka Streams has failed or is shutting down, states it does not
 * leave by itself (liveness: restart the instance).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    /** States from which Kafka Streams does not come back by itself. */
    static final Set<KafkaStreams.State> DEAD = EnumSet.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR,
            KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.NOT_RUNNING);

    @Bean(destroyMethod = "close")
    BrokerProbe brokerProbe(KafkaAdmin kafkaAdmin, ProjectionProperties properties) {
        return new BrokerProbe(kafkaAdmin.getConfigurationProperties(), "jobline-status-projection-health",
                properties.brokerProbeTimeout());
    }

    @Bean
    HealthIndicator brokerHealthIndicator(BrokerProbe probe) {
        return () -> {
            try {
                return Health.up().withDetail("brokers", probe.brokersReachable()).build();
            } catch (BrokerProbe.BrokerUnreachableException e) {
                return Health.down().withDetail("error", e.getMessage()).build();
            }
        };
    }

    @Bean
    HealthIndicator streamsHealthIndicator(StreamsBuilderFactoryBean streams) {
        return () -> {
            KafkaStreams.State state = state(streams);
            Health.Builder health = state == KafkaStreams.State.RUNNING ? Health.up() : Health.down();
            health.withDetail("state", state == null ? "NOT_STARTED" : state.name());
            if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING) {
                SortedSet<Integer> active = new TreeSet<>();
                SortedSet<Integer> standby = new TreeSet<>();
                try {
                    for (ThreadMetadata thread : streams.getKafkaStreams().metadataForLocalThreads()) {
                        thread.activeTasks().forEach(task -> active.add(task.taskId().partition()));
                        thread.standbyTasks().forEach(task -> standby.add(task.taskId().partition()));
                    }
                    health.withDetail("activePartitions", active).withDetail("standbyPartitions", standby);
                } catch (RuntimeException e) {
                    health.withDetail("partitions", "not known now");
                }
            }
            return health.build();
        };
    }

    @Bean
    HealthIndicator streamsLivenessHealthIndicator(StreamsBuilderFactoryBean streams) {
        return () -> {
            KafkaStreams.State state = state(streams);
            Health.Builder health = state != null && DEAD.contains(state) ? Health.down() : Health.up();
            return health.withDetail("state", state == null ? "NOT_STARTED" : state.name()).build();
        };
    }

    private static KafkaStreams.State state(StreamsBuilderFactoryBean streams) {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        return kafkaStreams == null ? null : kafkaStreams.state();
    }
}
