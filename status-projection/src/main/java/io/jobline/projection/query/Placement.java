package io.jobline.projection.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;

import io.jobline.projection.idempotency.IdempotencyKeys;
import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.schemas.Topics;
import reactor.core.publisher.Mono;

/**
 * Where the projection's partitions live: which instance folds (is active for) each partition, which hold a
 * standby copy, and which are active here. A job's partition is the partition of its id in
 * {@code jobline.commands} (the three input topics are co-partitioned). Everything comes from Kafka Streams'
 * metadata, which may be stale during a rebalance: callers retry when an instance says it no longer holds
 * a partition. Failures become {@link StoresUnavailableException}.
 */
public class Placement {

    /**
     * The instances holding one partition.
     *
     * @param active   the instance that folds it, or null when none is known now
     * @param standbys instances with a standby copy (possibly a little behind)
     */
    public record Holders(HostInfo active, List<HostInfo> standbys) {
    }

    private final StreamsBuilderFactoryBean factoryBean;
    private final KafkaStreamsInteractiveQueryService interactiveQueries;
    private final Mono<Integer> partitionCount;

    public Placement(StreamsBuilderFactoryBean factoryBean, KafkaStreamsInteractiveQueryService interactiveQueries,
            Admin admin, Duration adminTimeout) {
        this.factoryBean = factoryBean;
        this.interactiveQueries = interactiveQueries;
        String topic = Topics.COMMANDS.name();
        this.partitionCount = Mono
                .defer(() -> Mono.fromCompletionStage(admin
                        .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) adminTimeout.toMillis()))
                        .allTopicNames().toCompletionStage()))
                .map(topics -> topics.get(topic).partitions().size())
                .onErrorMap(e -> new StoresUnavailableException("the partitions of " + topic + " are not known now", e))
                // partitions are never taken away: once known, the count stays
                .cache(count -> Duration.ofDays(36500), e -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** The address of this instance's query API, as advertised to the other instances. */
    public HostInfo self() {
        HostInfo self = interactiveQueries.getCurrentKafkaStreamsApplicationHostInfo();
        if (self == null) {
            throw new StoresUnavailableException("application.server is not set yet");
        }
        return self;
    }

    /** The number of partitions of the projection (of {@code jobline.commands}). */
    public Mono<Integer> partitionCount() {
        return partitionCount;
    }

    /**
     * Where the view of a job lives: its partition, the active instance ({@link HostInfo#unavailable()} when
     * unknown) and the standbys.
     */
    public KeyQueryMetadata metadataFor(String jobId) {
        return metadataFor(ProjectionTopology.JOBS_STORE, jobId, "job " + jobId);
    }

    /**
     * Where the entry of an idempotency key lives, routed by the key itself (command-api picks the id of the
     * key's job so that both are in the same partition).
     */
    public KeyQueryMetadata metadataForIdempotencyKey(String storeKey) {
        return metadataFor(IdempotencyKeys.STORE, storeKey, "idempotency key " + storeKey);
    }

    private KeyQueryMetadata metadataFor(String store, String key, String what) {
        KafkaStreams streams = queryable();
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, Topics.COMMANDS.keySerde().serializer());
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("the location of " + what + " is not known now", e);
        }
        if (metadata == null || metadata.partition() < 0) {
            throw new StoresUnavailableException("the location of " + what + " is not known now");
        }
        return metadata;
    }

    /** Whether the metadata names an active instance. */
    public static boolean hasActive(KeyQueryMetadata metadata) {
        HostInfo active = metadata.activeHost();
        return active != null && active.port() >= 0 && !HostInfo.unavailable().equals(active);
    }

    /** The holders of each partition, as far as this instance knows now. */
    public Map<Integer, Holders> holders() {
        KafkaStreams streams = queryable();
        Map<Integer, HostInfo> active = new HashMap<>();
        Map<Integer, List<HostInfo>> standbys = new HashMap<>();
        try {
            for (StreamsMetadata client : streams.metadataForAllStreamsClients()) {
                for (TopicPartition tp : client.topicPartitions()) {
                    if (tp.topic().equals(Topics.COMMANDS.name())) {
                        active.put(tp.partition(), client.hostInfo());
                    }
                }
                for (TopicPartition tp : client.standbyTopicPartitions()) {
                    if (tp.topic().equals(Topics.COMMANDS.name())) {
                        standbys.computeIfAbsent(tp.partition(), k -> new ArrayList<>()).add(client.hostInfo());
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("the instances of the projection are not known now", e);
        }
        Map<Integer, Holders> holders = new HashMap<>();
        for (int partition : union(active.keySet(), standbys.keySet())) {
            holders.put(partition, new Holders(active.get(partition), standbys.getOrDefault(partition, List.of())));
        }
        return holders;
    }

    /** The partitions this instance folds now. */
    public SortedSet<Integer> localActivePartitions() {
        KafkaStreams streams = queryable();
        SortedSet<Integer> partitions = new TreeSet<>();
        try {
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                for (TaskMetadata task : thread.activeTasks()) {
                    boolean foldTask = task.topicPartitions().stream()
                            .anyMatch(tp -> tp.topic().equals(Topics.COMMANDS.name()));
                    if (foldTask) {
                        partitions.add(task.taskId().partition());
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("the partitions of this instance are not known now", e);
        }
        return partitions;
    }

    /** Kafka Streams, when its stores can be queried (running, or rebalancing with the tasks it keeps). */
    KafkaStreams queryable() {
        KafkaStreams streams = factoryBean.getKafkaStreams();
        if (streams == null) {
            throw new StoresUnavailableException("Kafka Streams has not started");
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new StoresUnavailableException("Kafka Streams is " + state);
        }
        return streams;
    }

    private static SortedSet<Integer> union(java.util.Set<Integer> a, java.util.Set<Integer> b) {
        SortedSet<Integer> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
