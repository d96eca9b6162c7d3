package io.jobline.api.feed;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

import org.springframework.http.codec.ServerSentEvent;

import reactor.core.publisher.FluxSink;

/**
 * One client's stream: what it follows, where it is (its cursor), and the events waiting for it. Events are handed
 * to the HTTP response only as fast as the client reads them; at most {@code client-buffer} live events wait, a
 * client with more gets {@code resync} and is closed, so a slow client costs bounded memory and never holds up the
 * feed or other clients. Events replayed from the feed's buffer or a catch-up are bounded by the feed instead.
 *
 * <p>A stream is first started (its opening event, then what it missed), or held while a catch-up reads what it
 * missed from Kafka; after that it gets the feed's live records. All methods are thread-safe: the feed thread, a
 * catch-up, the heartbeat timer and the HTTP response call them.
 */
final class FeedStream {

    /** What a stream follows. */
    sealed interface Selection {

        /** One job's views, newer than {@code version}. */
        record OneJob(String jobId, int partition) implements Selection {
        }

        /** Every job of one owner. */
        record OwnedBy(String owner) implements Selection {
        }

        /** Every job of every owner (an admin's stream). */
        record AllJobs() implements Selection {
        }
    }

    private record Waiting(ServerSentEvent<String> event, boolean replayed) {
    }

    /** Ends a stream whose {@code resync} the client did not read in time (the connection is closed). */
    static final class ResyncNotRead extends RuntimeException {
        ResyncNotRead() {
            super("the client did not read its resync event in time", null, false, false);
        }
    }

    /** What every stream of a feed shares: its settings, its timer thread and its meters. */
    record Support(FeedProperties properties, ScheduledExecutorService timers, FeedMetrics metrics) {
    }

    private final Selection selection;
    private final int clientBuffer;
    private final Duration resyncTimeout;
    private final ScheduledExecutorService timers;
    private final FeedMetrics metrics;
    /** The cursor: per partition, the offset after the last record this stream looked at. */
    private final long[] next;
    private final boolean resumed;
    /** A fresh job stream's first event: the job's view as the projection answered it. */
    private final String initialJson;
    private final String initialStatus;

    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int replayedWaiting;
    /** Job streams: the version of the last view sent; views not newer are skipped. */
    private long version;
    /** Live records that arrived while a catch-up runs; null otherwise. */
    private List<FeedRecord> held;
    /** Once live: the feed's positions, the cursor of the records the feed looked at and did not hand over. */
    private AtomicLongArray feedPositions;
    private FluxSink<ServerSentEvent<String>> sink;
    private Runnable onEnd = () -> { };
    private Runnable disconnect;
    private boolean ending;
    private boolean done;
    private boolean draining;
    private boolean drainAgain;

    private FeedStream(Selection selection, int partitions, long[] from, long version, boolean resumed,
            String initialJson, String initialStatus, Support support) {
        this.selection = selection;
        this.clientBuffer = support.properties().clientBuffer();
        this.resyncTimeout = support.properties().resyncTimeout();
        this.timers = support.timers();
        this.metrics = support.metrics();
        this.next = from == null ? new long[partitions] : Arrays.copyOf(from, partitions);
        this.version = version;
        this.resumed = resumed;
        this.initialJson = initialJson;
        this.initialStatus = initialStatus;
    }

    /** A job stream that starts with the job's current view ({@code json}, as the projection answered). */
    static FeedStream ofJob(String jobId, int partitions, String json, String status, long version, Support support) {
        return new FeedStream(new Selection.OneJob(jobId, Cursors.partitionOf(jobId, partitions)), partitions, null,
                version, false, json, status, support);
    }

    /** A job stream resumed from {@code cursor}: what came after it, nothing before. */
    static FeedStream ofJob(String jobId, int partitions, JobCursor cursor, Support support) {
        long[] from = new long[partitions];
        from[cursor.partition()] = cursor.offset();
        return new FeedStream(new Selection.OneJob(jobId, cursor.partition()), partitions, from, cursor.version(),
                true, null, null, support);
    }

    /** An owner's stream from now on, or (with a cursor) from there. */
    static FeedStream ofOwner(String owner, int partitions, StreamCursor cursor, Support support) {
        return ofMany(new Selection.OwnedBy(owner), partitions, cursor, support);
    }

    /** A stream of every job from now on, or (with a cursor) from there. */
    static FeedStream ofAll(int partitions, StreamCursor cursor, Support support) {
        return ofMany(new Selection.AllJobs(), partitions, cursor, support);
    }

    private static FeedStream ofMany(Selection selection, int partitions, StreamCursor cursor, Support support) {
        long[] from = null;
        if (cursor != null) {
            from = new long[partitions];
            for (var position : cursor.offsets().entrySet()) {
                from[position.getKey()] = position.getValue();
            }
        }
        return new FeedStream(selection, partitions, from, 0, cursor != null, null, null, support);
    }

    Selection selection() {
        return selection;
    }

    /** The partitions this stream reads. */
    int[] partitions() {
        return selection instanceof Selection.OneJob job ? new int[] {job.partition()}
                : IntStream.range(0, next.length).toArray();
    }

    /**
     * Where the stream reads from, given the feed's positions {@code now} and the start of its buffers: a fresh job
     * stream looks through the buffer for views newer than the projection's, a fresh owner's stream starts now, a
     * resumed stream at its cursor.
     */
    synchronized long[] from(long[] now, long[] bufferedFrom) {
        if (!resumed) {
            if (selection instanceof Selection.OneJob job) {
                next[job.partition()] = bufferedFrom[job.partition()];
            } else {
                System.arraycopy(now, 0, next, 0, next.length);
            }
        }
        return next.clone();
    }

    /**
     * The HTTP response subscribed: events go out as it asks for them. {@code disconnect} closes its connection
     * (null: end the response with an error instead); {@code onEnd} runs once when the stream ends.
     */
    synchronized void attach(FluxSink<ServerSentEvent<String>> sink, Runnable disconnect, Runnable onEnd) {
        this.sink = sink;
        this.disconnect = disconnect;
        this.onEnd = onEnd;
        sink.onRequest(ignored -> drain());
        sink.onDispose(this::close);
    }

    /**
     * Starts from the feed's buffer: the opening event, the {@code missed} records (oldest first per partition),
     * then live records. {@code now} are the feed's positions, {@code feedPositions} the live ones.
     */
    synchronized void start(List<FeedRecord> missed, long[] now, AtomicLongArray feedPositions) {
        if (done) {
            return;
        }
        if (initialJson != null) {
            int partition = ((Selection.OneJob) selection).partition();
            next[partition] = missed.stream().filter(this::wanted).mapToLong(FeedRecord::offset).findFirst()
                    .orElse(now[partition]);
            enqueue(SseEvents.job(initialJson, cursor()), true);
            if (FeedRecord.isTerminal(initialStatus)) {
                end();
                return;
            }
        } else {
            enqueue(SseEvents.heartbeat(cursor()), true);
        }
        for (FeedRecord record : missed) {
            consider(record, true);
        }
        this.feedPositions = feedPositions;
    }

    /** Starts with the opening heartbeat and holds live records while a catch-up replays what the stream missed. */
    synchronized void hold() {
        if (done) {
            return;
        }
        held = new ArrayList<>();
        enqueue(SseEvents.heartbeat(cursor()), true);
    }

    /** A record a catch-up read; {@code record} is null for one that could not be decoded. */
    synchronized void replay(int partition, long offset, FeedRecord record) {
        if (record == null) {
            next[partition] = Math.max(next[partition], offset + 1);
        } else {
            consider(record, true);
        }
    }

    /** The catch-up is done: the held records follow, then live ones. */
    synchronized void caughtUp(AtomicLongArray feedPositions) {
        if (ending || done) {
            return;
        }
        List<FeedRecord> records = held;
        held = null;
        for (FeedRecord record : records) {
            consider(record, false);
        }
        this.feedPositions = feedPositions;
    }

    /** A live record of the feed, of this stream's job or owner. */
    synchronized void deliver(FeedRecord record) {
        if (ending || done) {
            return;
        }
        if (held != null) {
            if (held.size() >= clientBuffer) {
                resync(Resync.CATCH_UP_FAILED);
            } else {
                held.add(record);
            }
            return;
        }
        consider(record, false);
    }

    synchronized void heartbeat() {
        if (!ending && !done) {
            enqueue(SseEvents.heartbeat(cursor()), false);
        }
    }

    /**
     * Ends the stream with a {@code resync} event. If the client has not read it within {@code resync-timeout}
     * (it does not read at all), the connection is closed without it.
     */
    synchronized void resync(Resync why) {
        if (ending || done) {
            return;
        }
        waiting.clear();
        replayedWaiting = 0;
        held = null;
        waiting.add(new Waiting(SseEvents.resync(why), true));
        metrics.resync(why);
        end();
        try {
            timers.schedule(this::abort, resyncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            abort(); // shutting down
        }
    }

    /** Ends the stream once the waiting events are out (the feed is shutting down). */
    synchronized void finish() {
        if (!ending && !done) {
            end();
        }
    }

    synchronized boolean isOver() {
        return ending || done;
    }

    private void end() {
        ending = true;
        onEnd.run();
        drain();
    }

    private synchronized void abort() {
        if (!done && sink != null) {
            done = true;
            waiting.clear();
            metrics.cutOff();
            if (disconnect != null) {
                disconnect.run(); // the response is cancelled in turn, which closes this stream
            } else {
                sink.error(new ResyncNotRead());
            }
        }
    }

    /** The client is gone (or the stream ended). */
    private synchronized void close() {
        done = true;
        waiting.clear();
        held = null;
        onEnd.run();
    }

    private boolean wanted(FeedRecord record) {
        if (selection instanceof Selection.OneJob job) {
            return job.jobId().equals(record.jobId()) && record.version() > version;
        }
        if (selection instanceof Selection.OwnedBy owned) {
            return owned.owner().equals(record.owner());
        }
        return true;
    }

    private void consider(FeedRecord record, boolean replayed) {
        if (ending || done || record.offset() < next[record.partition()]) {
            return;
        }
        next[record.partition()] = record.offset() + 1;
        if (!wanted(record)) {
            return;
        }
        if (selection instanceof Selection.OneJob) {
            version = record.version();
        }
        enqueue(SseEvents.job(record.json(), cursor()), replayed);
        if (selection instanceof Selection.OneJob && record.terminal() && !ending) {
            end();
        }
    }

    private String cursor() {
        if (selection instanceof Selection.OneJob job) {
            int partition = job.partition();
            return new JobCursor(partition, position(partition), version).toString();
        }
        long[] positions = new long[next.length];
        for (int partition = 0; partition < positions.length; partition++) {
            positions[partition] = position(partition);
        }
        return StreamCursor.format(positions);
    }

    private long position(int partition) {
        AtomicLongArray live = feedPositions;
        return live == null ? next[partition] : Math.max(next[partition], live.get(partition));
    }

    private void enqueue(ServerSentEvent<String> event, boolean replayed) {
        if (!replayed && waiting.size() - replayedWaiting >= clientBuffer) {
            resync(Resync.SLOW_CLIENT);
            return;
        }
        waiting.add(new Waiting(event, replayed));
        if (replayed) {
            replayedWaiting++;
        }
        drain();
    }

    /** Hands waiting events to the response as far as it asked for them; completes an ended stream once empty. */
    private void drain() {
        if (draining) {
            drainAgain = true; // called again from inside sink.next(): the outer loop goes on
            return;
        }
        draining = true;
        try {
            do {
                drainAgain = false;
                while (sink != null && !done && !waiting.isEmpty() && sink.requestedFromDownstream() > 0) {
                    Waiting first = waiting.poll();
                    if (first.replayed()) {
                        replayedWaiting--;
                    }
                    sink.next(first.event());
                }
                if (ending && !done && waiting.isEmpty() && sink != null) {
                    done = true;
                    sink.complete();
                }
            } while (drainAgain);
        } finally {
            draining = false;
        }
    }
}
