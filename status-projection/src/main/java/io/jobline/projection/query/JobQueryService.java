package io.jobline.projection.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Answers the query API: routes a key to the instance that holds it, waits for read-your-writes before
 * saying "not found", and gathers listings from every instance.
 */
public class JobQueryService {

    private final ProjectionStores stores;
    private final ReadYourWrites readYourWrites;
    private final PeerClient peers;

    public JobQueryService(ProjectionStores stores, ReadYourWrites readYourWrites, PeerClient peers) {
        this.stores = stores;
        this.readYourWrites = readYourWrites;
        this.peers = peers;
    }

    /**
     * The view of a job; empty when it does not exist, which is said only once this instance (or the one
     * holding the job) has folded the job's commands partition up to the end it had when asked.
     *
     * @param local answer from this instance's stores only (a call from another instance)
     */
    public Mono<Optional<JobViewJson>> get(String jobId, boolean local) {
        return Mono.defer(() -> {
            KeyQueryMetadata metadata = stores.metadataFor(jobId);
            if (!local && !metadata.activeHost().equals(stores.self())) {
                return peers.get(metadata.activeHost(), jobId);
            }
            return find(jobId, metadata.partition()).map(found -> found.map(JobViewJson::of));
        });
    }

    /**
     * The last {@code tail} lines of one attempt's log; empty when the job does not exist (with the same
     * read-your-writes wait as {@link #get}).
     *
     * @param attempt the attempt, or null for the job's current one
     * @param local   answer from this instance's stores only (a call from another instance)
     */
    public Mono<Optional<JobLogJson>> logs(String jobId, Integer attempt, int tail, boolean local) {
        return Mono.defer(() -> {
            KeyQueryMetadata metadata = stores.metadataFor(jobId);
            if (!local && !metadata.activeHost().equals(stores.self())) {
                return peers.logs(metadata.activeHost(), jobId, attempt, tail);
            }
            int partition = metadata.partition();
            return find(jobId, partition).flatMap(found -> found.isEmpty()
                    ? Mono.just(Optional.<JobLogJson>empty())
                    : Mono.fromCallable(() -> Optional.of(
                                    JobLogJson.of(jobId, stores.logTail(found.get(), partition, attempt, tail))))
                            .subscribeOn(Schedulers.boundedElastic())); // up to thousands of lines: off the event loop
        });
    }

    /**
     * A newest-first page of jobs, from every instance unless {@code local}.
     *
     * @param status only jobs in this status, or all when null
     * @param after  only jobs with ids strictly less than this (the last id of the previous page), or null
     */
    public Mono<Page<JobViewJson>> list(JobStatus status, String after, int limit, boolean local) {
        Mono<Page<JobViewJson>> localPage = Mono
                .fromCallable(() -> {
                    var page = stores.listLocal(status, after, limit);
                    return new Page<>(page.items().stream().map(JobViewJson::of).toList(), page.hasMore());
                })
                .subscribeOn(Schedulers.boundedElastic()); // several store seeks: keep them off the event loop
        if (local) {
            return localPage;
        }
        return Mono.defer(() -> {
            HostInfo self = stores.self();
            List<Mono<Page<JobViewJson>>> calls = new ArrayList<>();
            for (HostInfo host : stores.hosts()) {
                calls.add(host.equals(self) ? localPage : peers.list(host, status, after, limit));
            }
            return Flux.merge(calls).collectList().map(pages -> Page.merge(pages, JobViewJson::id, limit));
        });
    }

    /**
     * The view of a job from the local store of its partition; when absent, looked up again once the
     * partition has been folded up to the end it had now (read-your-writes).
     */
    private Mono<Optional<JobStatusView>> find(String jobId, int partition) {
        Optional<JobStatusView> found = lookUp(jobId, partition);
        if (found.isPresent()) {
            return Mono.just(found);
        }
        return readYourWrites.awaitCaughtUp(partition).map(caughtUp -> lookUp(jobId, partition));
    }

    private Optional<JobStatusView> lookUp(String jobId, int partition) {
        return Optional.ofNullable(stores.get(jobId, partition));
    }
}
