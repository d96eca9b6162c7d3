package io.jobline.processor.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.jobline.schemas.BrokerProbe;
import io.jobline.schemas.BrokerProbe.BrokerUnreachableException;

/** Health contributor {@code broker}: DOWN while the Kafka cluster does not answer. Part of the readiness group. */
@Component
public class BrokerHealthIndicator implements HealthIndicator {

    private final BrokerProbe probe;

    public BrokerHealthIndicator(BrokerProbe probe) {
        this.probe = probe;
    }

    @Override
    public Health health() {
        try {
            int brokers = probe.brokersReachable();
            return Health.up().withDetail("brokers", brokers).build();
        } catch (BrokerUnreachableException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
    }
}
