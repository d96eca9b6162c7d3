package io.jobline.schemas.tools;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints every record of Jobline's audit topics from a given time as JSON lines, for audits and for feeding other
 * tools: {@code Replay --bootstrap-server HOST:PORT --from 2026-11-29T08:00:00Z}. See {@link ReplayOptions#USAGE}.
 * <p>
 * On each partition it starts at the offset {@code offsetsForTimes(--from)} gives and reads, {@code read_committed},
 * up to the end offset as it was when the replay started (the last stable offset), or until the first record stamped
 * at or after {@code --to}. It prints the records stamped in {@code [--from, --to)}: transaction markers carry the
 * time of the commit, so the offset {@code offsetsForTimes} answers may lie a little before the first such record.
 * The lines of all partitions and topics are merged by record timestamp; each partition keeps its order. It joins no
 * consumer group and commits nothing.
 */
public final class Replay {

    static final int OK = 0;
    static final int KAFKA_FAILED = 1;
    static final int BAD_ARGUMENTS = 2;

    private static final int MAX_BUFFERED_PER_PARTITION = 5_000;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String DEFAULT_API_TIMEOUT_MS = "30000";

    private final ReplayOptions options;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PrintStream out;
    private final RecordJson json;
    private final Duration stallTimeout;

    private Replay(ReplayOptions options, Properties config, PrintStream out) {
        this.options = options;
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.out = out;
        this.json = new RecordJson(options.headers());
        this.stallTimeout =
                Duration.ofMillis(Long.parseLong(config.getProperty(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)));
    }

    public static void main(String[] args) {
        var out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
                StandardCharsets.UTF_8);
        int code = run(args, out, System.err);
        out.flush();
        System.exit(code);
    }

    /** Runs a replay; answers the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ReplayOptions options;
        try {
            options = ReplayOptions.parse(args);
        } catch (ReplayOptions.HelpRequested help) {
            out.print(ReplayOptions.USAGE);
            return OK;
        } catch (ReplayOptions.BadArguments e) {
            err.println("replay: " + e.getMessage());
            err.print(ReplayOptions.USAGE);
            return BAD_ARGUMENTS;
        }
        Replay replay;
        try {
            replay = new Replay(options, consumerConfig(options), out);
        } catch (ConfigException e) {
            err.println("replay: invalid Kafka client settings: " + e.getMessage());
            return BAD_ARGUMENTS;
        } catch (KafkaException e) {
            err.println("replay: cannot create a Kafka consumer: " + describe(e));
            return KAFKA_FAILED;
        }
        try (replay.consumer) {
            long printed = replay.replay();
            if (out.checkError()) {
                err.println("replay: output closed after " + printed + " records");
            } else {
                err.println("replay: " + printed + " records of " + String.join(", ", options.topics()) + " from "
                        + options.from() + options.to().map(to -> " to " + to).orElse(""));
            }
            return OK;
        } catch (ReplayFailed e) {
            err.println("replay: " + e.getMessage());
            return KAFKA_FAILED;
        } catch (KafkaException e) {
            err.println("replay: " + describe(e));
            return KAFKA_FAILED;
        }
    }

    static Properties consumerConfig(ReplayOptions options) {
        var config = new Properties();
        config.putAll(options.clientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "jobline-replay");
        config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, DEFAULT_API_TIMEOUT_MS);
        return config;
    }

    /** The offsets to read on one partition: from {@code start} (inclusive) to {@code end} (exclusive). */
    private record Range(long start, long end) {
    }

    private long replay() throws ReplayFailed {
        List<TopicPartition> partitions = partitions();
        // assigned before the offset queries, which also tell a read_committed consumer its partitions' last stable
        // offsets (it warns about those of partitions it does not hold)
        consumer.assign(partitions);
        Map<TopicPartition, Range> ranges = ranges(partitions);
        consumer.assign(ranges.keySet());
        ranges.forEach((partition, range) -> consumer.seek(partition, range.start()));
        var reading = new Reading(ranges);
        long printed = 0;
        long lastProgress = System.nanoTime();
        while (!reading.merge.done()) {
            reading.take(consumer.poll(POLL));
            if (reading.advance()) {
                lastProgress = System.nanoTime();
            }
            reading.throttle();
            long[] released = {0};
            reading.merge.release(record -> {
                out.println(json.render(record));
                released[0]++;
            });
            printed += released[0];
            out.flush();
            if (out.checkError()) {
                return printed; // the reader went away (e.g. `| head`)
            }
            if (!reading.open.isEmpty() && System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                throw new ReplayFailed("no progress reading " + reading.open + " for " + stallTimeout.toSeconds()
                        + " s (default.api.timeout.ms): is the cluster still reachable?");
            }
        }
        return printed;
    }

    /** Where the replay is on each partition it reads. */
    private final class Reading {

        final Map<TopicPartition, Range> ranges;
        final TimestampMerge<byte[], byte[]> merge;
        /** Partitions still to be read to their end, or to --to. */
        final Set<TopicPartition> open;
        final Map<TopicPartition, Long> positions = new HashMap<>();
        final long from = options.from().toEpochMilli();
        final long until = options.to().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);

        Reading(Map<TopicPartition, Range> ranges) {
            this.ranges = ranges;
            this.merge = new TimestampMerge<>(ranges.keySet());
            this.open = new HashSet<>(ranges.keySet());
        }

        void take(Iterable<ConsumerRecord<byte[], byte[]>> records) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                var partition = new TopicPartition(record.topic(), record.partition());
                if (!open.contains(partition) || record.offset() >= ranges.get(partition).end()) {
                    continue;
                }
                if (record.timestamp() >= until) {
                    close(partition);
                } else if (record.timestamp() >= from) {
                    merge.add(record);
                }
            }
        }

        /** Closes the partitions read to their end; answers whether any position moved. */
        boolean advance() {
            boolean moved = false;
            for (TopicPartition partition : List.copyOf(open)) {
                long position = consumer.position(partition);
                Long before = positions.put(partition, position);
                moved |= before == null || before != position;
                if (position >= ranges.get(partition).end()) {
                    close(partition);
                }
            }
            return moved;
        }

        /**
         * Fetches only from open partitions whose buffer has room: one far ahead of the others waits, so memory
         * stays bounded while the merge catches up.
         */
        void throttle() {
            Set<TopicPartition> fetch = new HashSet<>(open);
            fetch.removeIf(partition -> merge.buffered(partition) >= MAX_BUFFERED_PER_PARTITION);
            Set<TopicPartition> wait = new HashSet<>(ranges.keySet());
            wait.removeAll(fetch);
            consumer.pause(wait);
            consumer.resume(fetch);
        }

        private void close(TopicPartition partition) {
            open.remove(partition);
            merge.end(partition);
        }
    }

    private List<TopicPartition> partitions() throws ReplayFailed {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : options.topics()) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic);
            } catch (UnknownTopicOrPartitionException e) {
                infos = List.of();
            } catch (TimeoutException e) {
                throw new ReplayFailed("no answer from Kafka at " + options.bootstrapServers() + " within "
                        + stallTimeout.toSeconds() + " s (default.api.timeout.ms)");
            }
            if (infos == null || infos.isEmpty()) {
                throw new ReplayFailed("topic " + topic + " does not exist on " + options.bootstrapServers());
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        return partitions;
    }

    /** Each partition's range of offsets to read; partitions with nothing stamped at or after --from are left out. */
    private Map<TopicPartition, Range> ranges(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndTimestamp> starts = offsetsForTime(partitions, options.from().toEpochMilli());
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Range> ranges = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp start = starts.get(partition);
            long end = ends.get(partition);
            if (start != null && start.offset() < end) {
                ranges.put(partition, new Range(start.offset(), end));
            }
        }
        return ranges;
    }

    private Map<TopicPartition, OffsetAndTimestamp> offsetsForTime(List<TopicPartition> partitions, long time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, time));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        return offsets == null ? Map.of() : offsets;
    }

    private static String describe(KafkaException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e.getCause() == null || e.getCause().getMessage() == null ? message
                : message + ": " + e.getCause().getMessage();
    }

    private static final class ReplayFailed extends Exception {
        ReplayFailed(String message) {
            super(message);
        }
    }
}
