package io.jobline.api.query;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The connections command-api keeps to the status-projection, {@code jobline.api.projection-pool.*}. Every waiting
 * long-poll holds one connection for its whole wait, so the pool is sized for the long-polls expected at once.
 *
 * @param maxConnections        connections open to the projection at most; requests beyond them queue
 * @param pendingAcquireTimeout how long a request queues for a connection before it answers 503
 */
@ConfigurationProperties("jobline.api.projection-pool")
public record ProjectionPoolProperties(
        @DefaultValue("1000") int maxConnections,
        @DefaultValue("2s") Duration pendingAcquireTimeout) {

    public ProjectionPoolProperties {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("jobline.api.projection-pool.max-connections must be at least 1");
        }
        if (pendingAcquireTimeout == null || pendingAcquireTimeout.isNegative() || pendingAcquireTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "jobline.api.projection-pool.pending-acquire-timeout must be a positive duration");
        }
    }
}
