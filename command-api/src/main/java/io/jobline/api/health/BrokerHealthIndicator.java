package io.jobline.api.health;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;

import io.jobline.api.ApiProperties;
import io.jobline.schemas.BrokerProbe;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Health contributor {@code broker}: UP while the Kafka cluster answers within
 * {@code jobline.api.broker-probe-timeout}. Part of the readiness group, so a load balancer stops sending
 * submissions to an instance that could only answer them with 503. The probe blocks, so it runs on the
 * bounded-elastic scheduler.
 */
@Component
public class BrokerHealthIndicator implements ReactiveHealthIndicator {

    private final BrokerProbe probe;
    private final Duration timeout;

    public BrokerHealthIndicator(BrokerProbe probe, ApiProperties properties) {
        this.probe = probe;
        this.timeout = properties.brokerProbeTimeout();
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromCallable(() -> Health.up().withDetail("brokers", probe.brokersReachable(timeout)).build())
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout.plusMillis(500))
                .onErrorResume(error -> Mono.just(Health.down()
                        .withDetail("error", error instanceof BrokerProbe.BrokerUnreachableException
                                ? error.getMessage() : "no answer from the Kafka cluster within " + timeout)
                        .build()));
    }
}
