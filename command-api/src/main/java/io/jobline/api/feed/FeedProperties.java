package io.jobline.api.feed;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Server-Sent Event streams, {@code jobline.api.feed.*} in {@code command-api.yml}.
 *
 * @param heartbeatInterval  how often every stream gets a {@code heartbeat} event (keeps proxies and load balancers
 *                           from closing a quiet connection, and tells the client the stream is alive)
 * @param clientBuffer       how many events may wait for one client; a client with more waiting is too slow: it
 *                           gets a {@code resync} event and its stream is closed
 * @param replayBuffer       how many of the latest records of each partition of {@code jobline.job-status} this
 *                           instance keeps in memory, so that a client resuming with {@code Last-Event-ID} is caught
 *                           up without reading Kafka again
 * @param catchUpMaxRecords  the most records a stream resuming from further back than the replay buffer may read
 *                           from Kafka to catch up; a client further behind gets {@code resync}
 * @param catchUpTimeout     how long such a catch-up may take before the client gets {@code resync}
 * @param resyncTimeout      how long a {@code resync} event may wait for a client to read it before the
 *                           connection is closed without it
 * @param readyTimeout       how long a new stream waits for this instance's feed to be connected to Kafka before
 *                           it is refused with 503
 */
@ConfigurationProperties("jobline.api.feed")
public record FeedProperties(
        @DefaultValue("15s") Duration heartbeatInterval,
        @DefaultValue("1000") int clientBuffer,
        @DefaultValue("1000") int replayBuffer,
        @DefaultValue("10000") int catchUpMaxRecords,
        @DefaultValue("10s") Duration catchUpTimeout,
        @DefaultValue("5s") Duration resyncTimeout,
        @DefaultValue("10s") Duration readyTimeout) {

    public FeedProperties {
        requirePositive("heartbeat-interval", heartbeatInterval);
        requirePositive("catch-up-timeout", catchUpTimeout);
        requirePositive("resync-timeout", resyncTimeout);
        requirePositive("ready-timeout", readyTimeout);
        if (clientBuffer < 1) {
            throw new IllegalArgumentException("jobline.api.feed.client-buffer must be at least 1");
        }
        if (replayBuffer < 0) {
            throw new IllegalArgumentException("jobline.api.feed.replay-buffer must not be negative");
        }
        if (catchUpMaxRecords < 0) {
            throw new IllegalArgumentException("jobline.api.feed.catch-up-max-records must not be negative");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("jobline.api.feed." + name + " must be a positive duration");
        }
    }
}
