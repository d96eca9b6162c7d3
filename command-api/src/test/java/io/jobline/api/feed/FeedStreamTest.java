package io.jobline.api.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.http.codec.ServerSentEvent;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/** A stream on its own, without Kafka or HTTP: what it hands to a subscriber that asks for events at its own pace. */
class FeedStreamTest {

    private static final String JOB = "0193a5c2-8f00-7000-8000-000000000001";

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final FeedStream.Support support = new FeedStream.Support(
            new FeedProperties(Duration.ofHours(1), 3, 10, 10, Duration.ofSeconds(5), Duration.ofHours(1),
                    Duration.ofSeconds(5)),
            timers, new FeedMetrics(new SimpleMeterRegistry()));

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void aJobStreamStartsWithTheCurrentViewSkipsOlderViewsAndEndsAfterATerminalOne() {
        int partitions = 2;
        int partition = Cursors.partitionOf(JOB, partitions);
        FeedStream stream = FeedStream.ofJob(JOB, partitions, "{\"version\":2}", "RUNNING", 2, support);
        Client client = Client.of(stream, Long.MAX_VALUE);
        long[] now = {20, 20};
        stream.from(now, new long[] {5, 5});
        // in the buffer: the job's view 2 (the projection's) at 8, another job at 9, the job's view 3 at 12
        stream.start(List.of(record(partition, 8, JOB, 2, "RUNNING"), record(partition, 9, "other", 1, "PENDING"),
                record(partition, 12, JOB, 3, "RUNNING")), now, new AtomicLongArray(now));
        stream.deliver(record(partition, 20, JOB, 3, "RUNNING")); // a repeat (cannot happen, but harmless)
        stream.deliver(record(partition, 21, JOB, 4, "COMPLETED"));
        stream.deliver(record(partition, 22, JOB, 5, "PENDING"));

        assertThat(client.events).extracting(ServerSentEvent::data)
                .containsExactly("{\"version\":2}", "{\"version\":3}", "{\"version\":4}");
        assertThat(client.events).extracting(ServerSentEvent::id)
                .containsExactly(partition + "-12-2", partition + "-13-3", partition + "-22-4");
        assertThat(client.completed).isTrue();
    }

    @Test
    void aClientThatDoesNotAskForMoreGetsResyncOnceItsBufferIsFull() {
        FeedStream stream = FeedStream.ofOwner("me", 1, null, support);
        Client client = Client.of(stream, 1);
        long[] now = {0};
        stream.from(now, now);
        stream.start(List.of(), now, new AtomicLongArray(now));
        assertThat(client.events).extracting(ServerSentEvent::event).containsExactly("heartbeat");
        for (int offset = 0; offset < 4; offset++) {
            stream.deliver(record(0, offset, "job-" + offset, 1, "PENDING"));
        }
        assertThat(stream.isOver()).as("3 waiting is the limit, the 4th overflows").isTrue();
        assertThat(client.completed).isFalse();

        client.request(10);
        assertThat(client.events).extracting(ServerSentEvent::event).containsExactly("heartbeat", "resync");
        assertThat(client.events.get(1).data()).contains("\"reason\":\"slow-client\"");
        assertThat(client.events.get(1).id()).isEmpty();
        assertThat(client.completed).isTrue();
    }

    @Test
    void anOwnersStreamCursorCoversEveryPartitionAndTheHeldRecordsFollowTheCatchUp() {
        FeedStream stream = FeedStream.ofOwner("me", 2, StreamCursor.parse("0-3.1-7"), support);
        Client client = Client.of(stream, Long.MAX_VALUE);
        stream.from(new long[] {10, 10}, new long[] {8, 8});
        stream.hold();
        stream.deliver(record(1, 10, "b", 2, "RUNNING")); // live, while the catch-up reads
        stream.replay(0, 4, record(0, 4, "a", 1, "PENDING"));
        stream.replay(0, 5, null); // undecodable
        stream.replay(1, 8, record(1, 8, "b", 1, "PENDING"));
        stream.replay(1, 9, new FeedRecord(1, 9, "c", "someone-else", 1, "PENDING", "{}"));
        AtomicLongArray feed = new AtomicLongArray(new long[] {12, 11});
        stream.caughtUp(feed);
        stream.heartbeat();

        assertThat(client.events).extracting(ServerSentEvent::id)
                .containsExactly("0-3.1-7", "0-5.1-7", "0-6.1-9", "0-6.1-11", "0-12.1-11");
        assertThat(client.events).extracting(ServerSentEvent::event)
                .containsExactly("heartbeat", "job", "job", "job", "heartbeat");
    }

    private static FeedRecord record(int partition, long offset, String job, long version, String status) {
        return new FeedRecord(partition, offset, job, "me", version, status, "{\"version\":" + version + "}");
    }

    /** A subscriber that asks for {@code initial} events, then only when told. */
    private static final class Client extends BaseSubscriber<ServerSentEvent<String>> {

        final List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        volatile boolean completed;
        private final long initial;

        private Client(long initial) {
            this.initial = initial;
        }

        static Client of(FeedStream stream, long initial) {
            Client client = new Client(initial);
            AtomicReference<FluxSink<ServerSentEvent<String>>> sink = new AtomicReference<>();
            Flux.<ServerSentEvent<String>>create(created -> {
                sink.set(created);
                stream.attach(created, null, () -> { });
            }, FluxSink.OverflowStrategy.BUFFER).subscribe(client);
            return client;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            request(initial);
        }

        @Override
        protected void hookOnNext(ServerSentEvent<String> event) {
            events.add(event);
        }

        @Override
        protected void hookOnComplete() {
            completed = true;
        }
    }
}
