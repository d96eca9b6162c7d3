package io.jobline.projection.query;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.stereotype.Component;

import io.jobline.projection.logs.JobLogProcessor;
import io.jobline.projection.logs.JobLogTail;
import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.Topics;

/**
 * This instance's view of the Kafka Streams stores: where a key lives, which partitions are local, and
 * reads of the local stores, one partition at a time (a composite store over several partitions does not
 * iterate in key order). Every failure to reach the stores becomes a {@link StoresUnavailableException}.
 */
@Component
public class ProjectionStores {

    private final StreamsBuilderFactoryBean factoryBean;
    private final KafkaStreamsInteractiveQueryService interactiveQueries;

    public ProjectionStores(StreamsBuilderFactoryBean factoryBean, KafkaStreamsInteractiveQueryService interactiveQueries) {
        this.factoryBean = factoryBean;
        this.interactiveQueries = interactiveQueries;
    }

    /** The address of this instance's query API, as advertised to the other instances. */
    public HostInfo self() {
        HostInfo self = interactiveQueries.getCurrentKafkaStreamsApplicationHostInfo();
        if (self == null) {
            throw new StoresUnavailableException("application.server is not set yet");
        }
        return self;
    }

    /** Where the view of a job lives (its partition and active host). */
    public KeyQueryMetadata metadataFor(String jobId) {
        KafkaStreams streams = running();
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(
                    ProjectionTopology.JOBS_STORE, jobId, Topics.COMMANDS.keySerde().serializer());
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("the location of job " + jobId + " is not known now", e);
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.activeHost() == null
                || metadata.activeHost().port() < 0 || metadata.partition() < 0) {
            throw new StoresUnavailableException("the location of job " + jobId + " is not known now");
        }
        return metadata;
    }

    /** The instances whose stores hold part of the jobs. */
    public List<HostInfo> hosts() {
        KafkaStreams streams = running();
        List<HostInfo> hosts = new ArrayList<>();
        try {
            for (StreamsMetadata metadata : streams.streamsMetadataForStore(ProjectionTopology.JOBS_STORE)) {
                hosts.add(metadata.hostInfo());
            }
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("the instances of the projection are not known now", e);
        }
        if (hosts.isEmpty()) {
            throw new StoresUnavailableException("no instance holds the stores yet");
        }
        return hosts;
    }

    /** The view of a job from the local store of its partition, or null. */
    public JobStatusView get(String jobId, int partition) {
        ReadOnlyKeyValueStore<String, JobStatusView> jobs = jobsStore(running(), partition);
        try {
            return jobs.get(jobId);
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("store of partition " + partition + " cannot be read now", e);
        }
    }

    /**
     * The last {@code limit} lines of an attempt's log, from the local store of the job's partition.
     *
     * @param attempt the attempt, or null for the view's current attempt (for a view with attempt 0, the
     *                highest attempt that has lines)
     */
    public JobLogTail logTail(JobStatusView view, int partition, Integer attempt, int limit) {
        ReadOnlyKeyValueStore<String, JobLogChunk> chunks = store(running(), JobLogProcessor.LOGS_STORE, partition);
        String jobId = view.getJobId();
        try {
            int which = attempt != null ? attempt
                    : view.getAttempt() > 0 ? view.getAttempt()
                    : JobLogTail.highestAttempt(chunks, jobId).orElse(view.getAttempt());
            return JobLogTail.read(chunks, jobId, which, limit);
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("the logs of partition " + partition + " cannot be read now", e);
        }
    }

    /** A newest-first page from the partitions this instance is active for. */
    public Page<JobStatusView> listLocal(JobStatus status, String after, int limit) {
        KafkaStreams streams = running();
        List<Page<JobStatusView>> pages = new ArrayList<>();
        try {
            for (int partition : localPartitions(streams)) {
                pages.add(JobListing.page(jobsStore(streams, partition), indexStore(streams, partition),
                        status, after, limit));
            }
        } catch (StoresUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("the local stores cannot be read now", e);
        }
        return Page.merge(pages, JobStatusView::getJobId, limit);
    }

    private KafkaStreams running() {
        KafkaStreams streams = factoryBean.getKafkaStreams();
        if (streams == null) {
            throw new StoresUnavailableException("Kafka Streams has not started");
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new StoresUnavailableException("Kafka Streams is " + state);
        }
        return streams;
    }

    private static SortedSet<Integer> localPartitions(KafkaStreams streams) {
        SortedSet<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                boolean foldTask = task.topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(Topics.COMMANDS.name()));
                if (foldTask) {
                    partitions.add(task.taskId().partition());
                }
            }
        }
        return partitions;
    }

    private static ReadOnlyKeyValueStore<String, JobStatusView> jobsStore(KafkaStreams streams, int partition) {
        return store(streams, ProjectionTopology.JOBS_STORE, partition);
    }

    private static ReadOnlyKeyValueStore<String, String> indexStore(KafkaStreams streams, int partition) {
        return store(streams, ProjectionTopology.STATUS_INDEX_STORE, partition);
    }

    private static <V> ReadOnlyKeyValueStore<String, V> store(KafkaStreams streams, String name, int partition) {
        try {
            return streams.store(StoreQueryParameters
                    .fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                    .withPartition(partition));
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("store " + name + " of partition " + partition + " is not queryable here", e);
        }
    }
}
