package io.jobline.projection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The projection's own settings ({@code jobline.projection.*}).
 *
 * @param stateDir                      where Kafka Streams keeps its stores (also fed to
 *                                      {@code spring.kafka.streams.state-dir} by {@code status-projection.yml})
 * @param advertisedHost                the host name other projection instances use to reach this one's HTTP
 *                                      API (Kafka Streams' {@code application.server})
 * @param advertisedPort                the port to advertise; 0 means the port the HTTP server actually bound
 * @param readYourWritesTimeout         how long a {@code GET /internal/jobs/{id}} for an unknown id waits for the
 *                                      projection to catch up with the commands partition before answering 404
 * @param committedOffsetsCheckInterval while waiting, how often the group's committed offsets are also checked
 *                                      (the fallback for a partition whose last offset is a transaction marker
 *                                      or an undecodable record, which the processor never sees)
 * @param peerTimeout                   bound of a call to another projection instance
 * @param peerMaxConnections            connections to the other instances at most (a forwarded long-poll holds
 *                                      one while it waits)
 * @param retryAfter                    the {@code Retry-After} of a 503 while the stores are not queryable
 * @param brokerProbeTimeout            how long the readiness probe waits for the Kafka cluster
 * @param defaultPageSize               {@code limit} of a listing that gives none
 * @param maxPageSize                   the largest {@code limit} accepted
 * @param logExpiryInterval             how often the lines of jobs whose last log chunk is older than
 *                                      {@code jobline.topics.logs-retention-ms} are dropped from the stores
 * @param retryWithin                   how long a request that no instance can answer right now (a rebalance,
 *                                      an instance stopping) is retried before it gets a 503
 * @param retryFirstBackoff             the first wait between those retries; it doubles each time
 * @param retryMaxBackoff               the longest wait between those retries
 * @param defaultWait                   the {@code timeout} of a long-poll that gives none
 * @param maxWait                       the longest {@code timeout} a long-poll may ask for
 * @param idempotencyPurgeInterval      how often the idempotency keys whose 24 hours have passed are dropped
 *                                      from the stores (wall-clock time)
 */
@ConfigurationProperties("jobline.projection")
public record ProjectionProperties(
        @DefaultValue("./data/status-projection") String stateDir,
        @DefaultValue("localhost") String advertisedHost,
        @DefaultValue("0") int advertisedPort,
        @DefaultValue("5s") Duration readYourWritesTimeout,
        @DefaultValue("100ms") Duration committedOffsetsCheckInterval,
        @DefaultValue("3s") Duration peerTimeout,
        @DefaultValue("1s") Duration retryAfter,
        @DefaultValue("2s") Duration brokerProbeTimeout,
        @DefaultValue("50") int defaultPageSize,
        @DefaultValue("500") int maxPageSize,
        @DefaultValue("10m") Duration logExpiryInterval,
        @DefaultValue("5s") Duration retryWithin,
        @DefaultValue("50ms") Duration retryFirstBackoff,
        @DefaultValue("500ms") Duration retryMaxBackoff,
        @DefaultValue("30s") Duration defaultWait,
        @DefaultValue("60s") Duration maxWait,
        @DefaultValue("1000") int peerMaxConnections,
        @DefaultValue("10m") Duration idempotencyPurgeInterval) {
}
