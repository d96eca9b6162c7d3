package io.jobline.api.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.jobline.schemas.BrokerProbe;

/**
 * Health contributor {@code broker}: UP while the Kafka cluster answers within {@code jobline.api.broker-probe-timeout}.
 * Part of the readiness group, so a load balancer stops sending submissions to an instance that could only answer
 * them with 503. Boot runs this blocking check off the event loop.
 */
@Component
public class BrokerHealthIndicator implements HealthIndicator {

    private final BrokerProbe probe;

    public BrokerHealthIndicator(BrokerProbe probe) {
        this.probe = probe;
    }

    @Override
    public Health health() {
        try {
            return Health.up().withDetail("brokers", probe.brokersReachable()).build();
        } catch (BrokerProbe.BrokerUnreachableException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
    }
}
