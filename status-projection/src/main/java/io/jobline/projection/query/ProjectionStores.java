package io.jobline.projection.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobline.projection.history.JobHistoryReader;
import io.jobline.projection.history.JobHistoryWriter;
import io.jobline.projection.idempotency.IdempotencyEntry;
import io.jobline.projection.idempotency.IdempotencyKeys;
import io.jobline.projection.listing.JobListing;
import io.jobline.projection.listing.ListingQuery;
import io.jobline.projection.logs.JobLogProcessor;
import io.jobline.projection.logs.JobLogTail;
import io.jobline.projection.topology.ProjectionTopology;
import io.jobline.schemas.JobLogChunk;
import io.jobline.schemas.JobStatusView;

/**
 * Reads of this instance's stores, one partition at a time (a composite store over several partitions does
 * not iterate in key order). {@code stale} reads may use a standby copy (or an active task still
 * restoring); others only the active task that folds the partition. Every failure to reach a store becomes
 * a {@link StoresUnavailableException}.
 */
public class ProjectionStores {

    private final Placement placement;

    public ProjectionStores(Placement placement) {
        this.placement = placement;
    }

    /**
     * A page and total from some partitions of this instance.
     *
     * @param partitions the partitions read
     */
    public record LocalListing(List<JobStatusView> items, boolean hasMore, long total, SortedSet<Integer> partitions) {
    }

    /** The view of a job from the store of its partition, or null. */
    public JobStatusView get(String jobId, int partition, boolean stale) {
        ReadOnlyKeyValueStore<String, JobStatusView> jobs = store(ProjectionTopology.JOBS_STORE, partition, stale);
        try {
            return jobs.get(jobId);
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("store of partition " + partition + " cannot be read now", e);
        }
    }

    /** The entry of an idempotency key from the store of its partition, or null. */
    public IdempotencyEntry idempotencyEntry(String storeKey, int partition, boolean stale) {
        ReadOnlyKeyValueStore<String, IdempotencyEntry> keys = store(IdempotencyKeys.STORE, partition, stale);
        try {
            return keys.get(storeKey);
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("idempotency keys of partition " + partition + " cannot be read now", e);
        }
    }

    /**
     * The last {@code limit} lines of an attempt's log.
     *
     * @param attempt the attempt, or null for the view's current attempt (for a view with attempt 0, the
     *                highest attempt that has lines)
     */
    public JobLogTail logTail(JobStatusView view, int partition, Integer attempt, int limit, boolean stale) {
        ReadOnlyKeyValueStore<String, JobLogChunk> chunks = store(JobLogProcessor.LOGS_STORE, partition, stale);
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

    /** A page of a job's history. */
    public JobHistoryReader.Page history(String jobId, int partition, long afterSeq, int limit, boolean stale) {
        ReadOnlyKeyValueStore<String, String> history = store(JobHistoryWriter.HISTORY_STORE, partition, stale);
        try {
            return JobHistoryReader.read(history, jobId, afterSeq, limit);
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("the history of partition " + partition + " cannot be read now", e);
        }
    }

    /**
     * A newest-first page and the total from the given partitions, or from those this instance folds when
     * {@code partitions} is null.
     */
    public LocalListing list(ListingQuery query, Collection<Integer> partitions, boolean stale) {
        SortedSet<Integer> which = partitions == null ? placement.localActivePartitions() : new TreeSet<>(partitions);
        List<Page<JobStatusView>> pages = new ArrayList<>(which.size());
        long total = 0;
        for (int partition : which) {
            JobListing.Part part;
            try {
                part = JobListing.read(store(ProjectionTopology.JOBS_STORE, partition, stale),
                        store(ProjectionTopology.INDEX_STORE, partition, stale),
                        store(ProjectionTopology.COUNTS_STORE, partition, stale), query);
            } catch (StoresUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new StoresUnavailableException("the stores of partition " + partition + " cannot be read now", e);
            }
            pages.add(new Page<>(part.items(), part.hasMore()));
            total += part.total();
        }
        Page<JobStatusView> page = Page.merge(pages, JobStatusView::getJobId, query.limit());
        return new LocalListing(page.items(), page.hasMore(), total, which);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition, boolean stale) {
        KafkaStreams streams = placement.queryable();
        try {
            StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters = StoreQueryParameters
                    .fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                    .withPartition(partition);
            return streams.store(stale ? parameters.enableStaleStores() : parameters);
        } catch (RuntimeException e) {
            throw new StoresUnavailableException("store " + name + " of partition " + partition + " is not queryable here", e);
        }
    }
}
