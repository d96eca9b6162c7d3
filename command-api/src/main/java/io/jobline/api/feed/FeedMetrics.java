package io.jobline.api.feed;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The streams' meters: {@code jobline.feed.resyncs} (by {@code reason}: clients that fell too far behind),
 * {@code jobline.feed.cut-offs} (connections closed because the client did not even read its resync),
 * {@code jobline.feed.catch-ups} (resumed streams read from Kafka because the replay buffer no longer held their
 * cursor) and the gauge {@code jobline.feed.streams} (open streams of this instance).
 */
@Component
class FeedMetrics {

    private final MeterRegistry registry;
    private final Counter cutOffs;
    private final Counter catchUps;

    FeedMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.cutOffs = registry.counter("jobline.feed.cut-offs");
        this.catchUps = registry.counter("jobline.feed.catch-ups");
    }

    void resync(Resync why) {
        registry.counter("jobline.feed.resyncs", "reason", why.reason()).increment();
    }

    void cutOff() {
        cutOffs.increment();
    }

    void catchUp() {
        catchUps.increment();
    }

    void streams(StatusFeed feed) {
        registry.gauge("jobline.feed.streams", feed, StatusFeed::streams);
    }
}
