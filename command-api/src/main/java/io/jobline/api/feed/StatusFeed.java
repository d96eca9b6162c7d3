package io.jobline.api.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.view.JobView;
import io.jobline.schemas.Topics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * This instance's feed of {@code jobline.job-status}: one consumer on a thread of its own, outside any consumer
 * group, assigned every partition, reading {@code read_committed} from a little before the end (so that its buffer
 * is full from the start). Every record goes into a bounded buffer of its partition and to the streams that follow
 * its job, its owner or all jobs. Streams resuming from a cursor within the buffer are caught up from memory, from
 * further back by a {@link CatchUp}. A record that cannot be decoded goes to {@code jobline.dlq}
 * ({@link FeedDeadLetters}) and is skipped: the feed neither stops nor retries it.
 *
 * <p>Handing a record to a stream never blocks (see {@link FeedStream}), so no client slows the feed or the others.
 */
@Component
public class StatusFeed implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StatusFeed.class);
    private static final String TOPIC = Topics.JOB_STATUS.name();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RECONNECT = Duration.ofSeconds(1);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final FeedProperties properties;
    private final FeedRecordDecoder decoder;
    private final FeedDeadLetters deadLetters;
    private final Map<String, Object> feedConfig;
    private final Map<String, Object> catchUpConfig;
    private final ScheduledExecutorService timers;
    private final FeedMetrics metrics;
    private final FeedStream.Support support;
    private final AtomicInteger catchUps = new AtomicInteger();

    private final Object lock = new Object();
    private final Map<String, Set<FeedStream>> byJob = new ConcurrentHashMap<>();
    private final Map<String, Set<FeedStream>> byOwner = new ConcurrentHashMap<>();
    private final Set<FeedStream> ofAllJobs = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    // set once the partitions are known, then guarded by lock (positions is read without it by the streams)
    private PartitionBuffer[] buffers;
    private volatile AtomicLongArray positions;

    StatusFeed(FeedProperties properties, FeedRecordDecoder decoder, FeedDeadLetters deadLetters, FeedMetrics metrics,
            KafkaProperties kafka) {
        this.properties = properties;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.feedConfig = consumerConfig(kafka.buildConsumerProperties(), "earliest");
        feedConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "command-api-feed");
        this.catchUpConfig = consumerConfig(kafka.buildConsumerProperties(), "none");
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread timer = new Thread(runnable, "sse-timers");
            timer.setDaemon(true);
            return timer;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
        this.metrics = metrics;
        this.support = new FeedStream.Support(properties, timers, metrics);
        metrics.streams(this);
    }

    /** A consumer outside any group that reads only committed records; commits nothing. */
    static Map<String, Object> consumerConfig(Map<String, Object> base, String offsetReset) {
        Map<String, Object> config = new HashMap<>(base);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        config.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        return config;
    }

    /** The number of partitions, once the feed is connected; a 503 problem if it is not within {@code ready-timeout}. */
    public Mono<Integer> partitions() {
        return Mono.fromFuture(ready, true)
                .timeout(properties.readyTimeout())
                .onErrorMap(TimeoutException.class, e -> ApiProblemException.unavailable(
                        "Event streams are not available right now (the feed of " + TOPIC
                                + " is not connected to Kafka). Retry later.",
                        properties.readyTimeout(), null));
    }

    /** A fresh stream of one job, starting with its view {@code current} as read from the projection. */
    Flux<ServerSentEvent<String>> followJob(String jobId, JobView current, int partitions, Runnable disconnect) {
        return open(FeedStream.ofJob(jobId, partitions, decoder.json(current), current.status(), current.version(),
                support), disconnect);
    }

    /** A stream of one job resumed after {@code cursor} (a 400 problem if the cursor cannot be one of this job). */
    Flux<ServerSentEvent<String>> resumeJob(String jobId, JobCursor cursor, int partitions, Runnable disconnect) {
        int partition = Cursors.partitionOf(jobId, partitions);
        if (cursor.partition() != partition) {
            throw JobCursor.invalid("is not an event id of this job's stream (its partition is " + partition + ")");
        }
        return open(FeedStream.ofJob(jobId, partitions, cursor, support), disconnect);
    }

    /** A stream of every job of {@code owner}, from now on, or after {@code cursor} when it is not null. */
    Flux<ServerSentEvent<String>> followOwner(String owner, StreamCursor cursor, int partitions,
            Runnable disconnect) {
        checkCursor(cursor, partitions);
        return open(FeedStream.ofOwner(owner, partitions, cursor, support), disconnect);
    }

    /** A stream of every job of every owner (for admins), from now on, or after {@code cursor} when it is not null. */
    Flux<ServerSentEvent<String>> followAll(StreamCursor cursor, int partitions, Runnable disconnect) {
        checkCursor(cursor, partitions);
        return open(FeedStream.ofAll(partitions, cursor, support), disconnect);
    }

    private static void checkCursor(StreamCursor cursor, int partitions) {
        if (cursor != null) {
            cursor.offsets().keySet().stream().filter(partition -> partition >= partitions).findFirst()
                    .ifPresent(partition -> {
                        throw JobCursor.invalid("names partition " + partition + "; " + TOPIC + " has " + partitions);
                    });
        }
    }

    /** How many streams this instance serves. */
    public int streams() {
        return byJob.values().stream().mapToInt(Set::size).sum() + byOwner.values().stream().mapToInt(Set::size).sum()
                + ofAllJobs.size();
    }

    /** How far the feed has read a partition (the offset after the last record it handed on); -1 before it knows. */
    long position(int partition) {
        AtomicLongArray live = positions;
        return live == null ? -1 : live.get(partition);
    }

    private Flux<ServerSentEvent<String>> open(FeedStream stream, Runnable disconnect) {
        return Flux.create(sink -> {
            Registration registration = new Registration(stream);
            stream.attach(sink, disconnect, registration::end);
            register(stream, registration);
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private void register(FeedStream stream, Registration registration) {
        synchronized (lock) {
            if (!running) {
                stream.finish();
                return;
            }
            AtomicLongArray live = positions;
            long[] now = new long[buffers.length];
            long[] buffered = new long[buffers.length];
            for (int partition = 0; partition < now.length; partition++) {
                now[partition] = live.get(partition);
                buffered[partition] = buffers[partition].coveredFrom();
            }
            long[] from = stream.from(now, buffered);
            registration.index();
            int[] partitions = stream.partitions();
            boolean inMemory = true;
            for (int partition : partitions) {
                inMemory &= buffers[partition].covers(from[partition]);
            }
            if (inMemory) {
                List<FeedRecord> missed = new ArrayList<>();
                for (int partition : partitions) {
                    if (from[partition] < now[partition]) {
                        missed.addAll(buffers[partition].since(from[partition]));
                    }
                }
                stream.start(missed, now, live);
            } else {
                stream.hold();
                metrics.catchUp();
                Map<String, Object> config = new HashMap<>(catchUpConfig);
                config.put(ConsumerConfig.CLIENT_ID_CONFIG, "command-api-catch-up-" + catchUps.incrementAndGet());
                Schedulers.boundedElastic().schedule(
                        new CatchUp(config, decoder, stream, partitions, from, now, live, properties));
            }
        }
        registration.heartbeats();
    }

    private void index(FeedStream stream) {
        if (stream.selection() instanceof FeedStream.Selection.OneJob job) {
            add(byJob, job.jobId(), stream);
        } else if (stream.selection() instanceof FeedStream.Selection.OwnedBy owned) {
            add(byOwner, owned.owner(), stream);
        } else {
            ofAllJobs.add(stream);
        }
    }

    private void unindex(FeedStream stream) {
        if (stream.selection() instanceof FeedStream.Selection.OneJob job) {
            remove(byJob, job.jobId(), stream);
        } else if (stream.selection() instanceof FeedStream.Selection.OwnedBy owned) {
            remove(byOwner, owned.owner(), stream);
        } else {
            ofAllJobs.remove(stream);
        }
    }

    private static void add(Map<String, Set<FeedStream>> index, String key, FeedStream stream) {
        index.compute(key, (ignored, streams) -> {
            Set<FeedStream> set = streams != null ? streams : ConcurrentHashMap.newKeySet();
            set.add(stream);
            return set;
        });
    }

    private static void remove(Map<String, Set<FeedStream>> index, String key, FeedStream stream) {
        index.computeIfPresent(key, (ignored, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    /**
     * A registered stream's place in the indexes and its heartbeats, until it ends. The client may go away at any
     * moment, even before the stream is indexed: whichever comes last of indexing and ending undoes the other.
     */
    private final class Registration {

        private final FeedStream stream;
        private boolean indexed;
        private boolean ended;
        private ScheduledFuture<?> heartbeats;

        Registration(FeedStream stream) {
            this.stream = stream;
        }

        synchronized void index() {
            if (!ended) {
                indexed = true;
                StatusFeed.this.index(stream);
            }
        }

        synchronized void heartbeats() {
            if (ended) {
                return;
            }
            long every = properties.heartbeatInterval().toNanos();
            try {
                heartbeats = timers.scheduleAtFixedRate(stream::heartbeat, every, every, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }

        synchronized void end() {
            if (ended) {
                return;
            }
            ended = true;
            if (indexed) {
                unindex(stream);
            }
            if (heartbeats != null) {
                heartbeats.cancel(false);
            }
        }
    }

    // ---- the consumer thread

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> kafka =
                    new KafkaConsumer<>(feedConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = kafka;
                if (!running) {
                    break;
                }
                List<TopicPartition> partitions = partitions(kafka);
                if (partitions.isEmpty()) {
                    pause();
                    continue;
                }
                kafka.assign(partitions);
                long[] end = seek(kafka, partitions);
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL);
                    long[] after = new long[partitions.size()];
                    for (TopicPartition partition : partitions) {
                        after[partition.partition()] = kafka.position(partition);
                    }
                    publish(records, after);
                    if (!ready.isDone() && reached(after, end)) {
                        log.info("feed of {} is live on {} partitions", TOPIC, partitions.size());
                        ready.complete(partitions.size());
                    }
                }
            } catch (WakeupException e) {
                // stop() woke it up
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("feed of {} failed, reconnecting in {}: {}", TOPIC, RECONNECT, e.toString());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    /** The partitions to read: all of the topic the first time, the same ones after a reconnect. */
    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> kafka) {
        int known = buffers == null ? 0 : buffers.length;
        if (known == 0) {
            List<PartitionInfo> infos;
            try {
                infos = kafka.partitionsFor(TOPIC, METADATA_TIMEOUT);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.debug("no metadata of {} yet", TOPIC);
                return List.of();
            }
            known = infos == null ? 0 : infos.size();
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition = 0; partition < known; partition++) {
            partitions.add(new TopicPartition(TOPIC, partition));
        }
        return partitions;
    }

    /**
     * Positions the consumer: the first time {@code replay-buffer} records before the end of each partition (so the
     * buffers fill at once), after a reconnect where it was. Returns the end offsets to reach before being ready.
     */
    private long[] seek(KafkaConsumer<byte[], byte[]> kafka, List<TopicPartition> partitions) {
        long[] end = new long[partitions.size()];
        if (buffers != null) {
            for (TopicPartition partition : partitions) {
                kafka.seek(partition, positions.get(partition.partition()));
            }
            return end;
        }
        Map<TopicPartition, Long> beginning = kafka.beginningOffsets(partitions, METADATA_TIMEOUT);
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions, METADATA_TIMEOUT);
        PartitionBuffer[] fresh = new PartitionBuffer[partitions.size()];
        long[] start = new long[partitions.size()];
        for (TopicPartition partition : partitions) {
            int index = partition.partition();
            end[index] = ends.get(partition);
            start[index] = Math.max(beginning.get(partition), end[index] - properties.replayBuffer());
            kafka.seek(partition, start[index]);
            fresh[index] = new PartitionBuffer(properties.replayBuffer(), start[index]);
        }
        synchronized (lock) {
            buffers = fresh;
            positions = new AtomicLongArray(start);
        }
        return end;
    }

    private static boolean reached(long[] positions, long[] end) {
        for (int partition = 0; partition < end.length; partition++) {
            if (positions[partition] < end[partition]) {
                return false;
            }
        }
        return true;
    }

    /** Buffers the records and hands each to the streams of its job and of its owner. */
    private void publish(ConsumerRecords<byte[], byte[]> records, long[] after) {
        List<FeedRecord> decoded = new ArrayList<>(records.count());
        List<ConsumerRecord<byte[], byte[]>> raw = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            raw.add(record);
            decoded.add(decodeOrDeadLetter(record));
        }
        synchronized (lock) {
            AtomicLongArray live = positions;
            for (int i = 0; i < raw.size(); i++) {
                ConsumerRecord<byte[], byte[]> record = raw.get(i);
                FeedRecord feedRecord = decoded.get(i);
                if (feedRecord != null) {
                    buffers[record.partition()].add(feedRecord);
                    deliver(byJob.get(feedRecord.jobId()), feedRecord);
                    if (feedRecord.owner() != null) {
                        deliver(byOwner.get(feedRecord.owner()), feedRecord);
                    }
                    deliver(ofAllJobs, feedRecord);
                }
                live.set(record.partition(), record.offset() + 1);
            }
            for (int partition = 0; partition < after.length; partition++) {
                if (after[partition] > live.get(partition)) {
                    live.set(partition, after[partition]);
                }
                buffers[partition].readUpTo(live.get(partition));
            }
        }
    }

    /** The record, or null for a tombstone or (after writing its dead letter) one that cannot be decoded. */
    private FeedRecord decodeOrDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.decodeOrThrow(record);
        } catch (RuntimeException e) {
            deadLetters.write(record, e);
            return null;
        }
    }

    private static void deliver(Set<FeedStream> streams, FeedRecord record) {
        if (streams != null) {
            for (FeedStream stream : streams) {
                stream.deliver(record);
            }
        }
    }

    private void pause() {
        try {
            stopping.await(RECONNECT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    // ---- lifecycle: started after the web server, stopped before its graceful shutdown waits for open streams

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "status-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        stopping.countDown();
        KafkaConsumer<byte[], byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        try {
            if (thread != null) {
                thread.join(Duration.ofSeconds(10).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // clients reconnect with Last-Event-ID, to another instance
        List<FeedStream> open = new ArrayList<>();
        byJob.values().forEach(open::addAll);
        byOwner.values().forEach(open::addAll);
        open.addAll(ofAllJobs);
        open.forEach(FeedStream::finish);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        timers.shutdownNow();
    }
}
