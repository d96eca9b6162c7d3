package io.jobline.examples.events;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows every job through {@code jobline.events} and prints one line per event, the way a downstream service
 * subscribes: its own consumer group, {@code read_committed} (the processor writes events in transactions, so an
 * aborted attempt to write is never seen), the value serde of {@link Topics#EVENTS}, and offsets committed after
 * each batch is handled (at least once: after a crash, at most the last batch is seen again).
 * <pre>
 * jobline.events-3@42 2026-11-29T08:38:56.438Z 01a22675-1073-7552-a057-9b8fdf1c6091 attempt 1 JobStarted on vm-11208
 * </pre>
 */
public final class EventsConsumer implements Runnable {

    public static final String DEFAULT_GROUP = "jobline-events-example";

    private final KafkaConsumer<String, JobEvent> consumer;
    private final PrintStream out;

    public EventsConsumer(Map<String, Object> config, PrintStream out) {
        this.consumer = new KafkaConsumer<>(config, Topics.EVENTS.keySerde().deserializer(),
                Topics.EVENTS.valueSerde().deserializer());
        this.out = out;
    }

    /** The settings that matter, over the client settings given (security, for a real cluster). */
    public static Map<String, Object> config(String bootstrapServers, String groupId, Properties client) {
        Map<String, Object> config = new HashMap<>();
        client.forEach((key, value) -> config.put(key.toString(), value));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a new group starts with the oldest event still kept (jobline.events is kept forever by default)
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    /** Consumes until {@link #stop()} is called (from another thread), then commits what it printed and closes. */
    @Override
    public void run() {
        try (consumer) {
            consumer.subscribe(List.of(Topics.EVENTS.name()));
            try {
                while (true) {
                    printBatch();
                    consumer.commitSync();
                }
            } catch (WakeupException stopping) {
                consumer.commitSync();
            }
        }
    }

    private void printBatch() {
        try {
            for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofSeconds(1))) {
                out.println(describe(record));
            }
        } catch (RecordDeserializationException e) {
            // e.g. an event type newer than this consumer's schemas jar (deploy readers first): say so and go on
            String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            System.err.println("skipping " + e.topicPartition() + "@" + e.offset() + ": " + why);
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
        out.flush();
    }

    /** Makes {@link #run()} return; safe from any thread. */
    public void stop() {
        consumer.wakeup();
    }

    /** One line for one event: where it is, when it happened, which job and attempt, what happened. */
    static String describe(ConsumerRecord<String, JobEvent> record) {
        Object event = record.value().getEvent();
        Fact fact = fact(event);
        return record.topic() + "-" + record.partition() + "@" + record.offset() + " " + fact.at() + " "
                + record.key() + " attempt " + fact.attempt() + " " + event.getClass().getSimpleName() + " "
                + fact.details();
    }

    private record Fact(Instant at, int attempt, String details) {
    }

    private static Fact fact(Object event) {
        if (event instanceof JobStarted e) {
            return new Fact(e.getStartedAt(), e.getAttempt(), "on " + e.getWorker());
        } else if (event instanceof JobProgress e) {
            return new Fact(e.getAt(), e.getAttempt(), e.getProgress().getDone() + "/" + e.getProgress().getTotal() + " steps");
        } else if (event instanceof JobHeartbeat e) {
            return new Fact(e.getAt(), e.getAttempt(), "from " + e.getWorker());
        } else if (event instanceof JobCompleted e) {
            return new Fact(e.getFinishedAt(), e.getAttempt(), e.getOutputs().size() + " outputs");
        } else if (event instanceof JobFailed e) {
            return new Fact(e.getFinishedAt(), e.getAttempt(), e.getFailure().getKind() + ": " + e.getFailure().getReason());
        } else if (event instanceof JobCancelled e) {
            return new Fact(e.getCancelledAt(), e.getAttempt(),
                    "by " + (e.getRequestedBy() == null ? "jobline" : e.getRequestedBy()));
        }
        throw new IllegalArgumentException("not a Jobline event: " + event);
    }

    /**
     * {@code EventsConsumer [--bootstrap-server HOST:PORT] [--group ID] [--command-config FILE]}; the bootstrap
     * servers default to {@code $KAFKA_BOOTSTRAP_SERVERS}, then {@code localhost:9092}. Ctrl-C stops it.
     */
    public static void main(String[] args) throws IOException {
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        String group = DEFAULT_GROUP;
        Properties client = new Properties();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap-server" -> bootstrap = args[i + 1];
                case "--group" -> group = args[i + 1];
                case "--command-config" -> {
                    try (Reader reader = Files.newBufferedReader(Path.of(args[i + 1]))) {
                        client.load(reader);
                    }
                }
                default -> usage();
            }
        }
        if (args.length % 2 != 0) {
            usage();
        }
        var events = new EventsConsumer(config(bootstrap, group, client), System.out);
        Thread consuming = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            events.stop();
            try {
                consuming.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.err.println("following jobline.events at " + bootstrap + " as group " + group + " (Ctrl-C stops)");
        events.run();
    }

    private static void usage() {
        System.err.println("usage: EventsConsumer [--bootstrap-server HOST:PORT] [--group ID] [--command-config FILE]");
        System.exit(2);
    }
}
