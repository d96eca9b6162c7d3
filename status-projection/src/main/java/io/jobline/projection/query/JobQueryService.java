package io.jobline.projection.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import io.jobline.projection.history.HistoryEntries;
import io.jobline.projection.history.JobHistoryReader;
import io.jobline.projection.listing.ListingQuery;
import io.jobline.projection.watch.JobWatches;
import io.jobline.projection.watch.WaitFor;
import io.jobline.schemas.JobStatusView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Answers the query API. A per-job request goes to the instance that folds the job's partition (its
 * active); when that one cannot answer, to an instance with a standby copy, which is trusted for a job it
 * has but not for one it lacks. A listing asks every partition's active instance (or a standby) for its
 * partitions and merges the pages, checking that each partition answered exactly once. A request no
 * instance can answer is retried with backoff within {@link UnavailableRetry#within()}, then fails with
 * {@link StoresUnavailableException} (503). Nothing here holds a thread while it waits.
 *
 * <p>Every method takes {@code local}: answer from this instance's stores only (the call of another
 * instance); {@code stale} then allows standby copies.
 */
public class JobQueryService {

    private final Placement placement;
    private final ProjectionStores stores;
    private final ReadYourWrites readYourWrites;
    private final PeerClient peers;
    private final JobWatches watches;
    private final UnavailableRetry retry;

    public JobQueryService(Placement placement, ProjectionStores stores, ReadYourWrites readYourWrites,
            PeerClient peers, JobWatches watches, UnavailableRetry retry) {
        this.placement = placement;
        this.stores = stores;
        this.readYourWrites = readYourWrites;
        this.peers = peers;
        this.watches = watches;
        this.retry = retry;
    }

    /**
     * The view of a job; empty when it does not exist, which is said only by the instance that folds the
     * job, once it has folded the job's commands partition up to the end it had when asked.
     */
    public Mono<Optional<JobViewJson>> get(String jobId, boolean local, boolean stale) {
        BiFunction<Integer, Boolean, Mono<Optional<JobViewJson>>> here =
                (partition, staleHere) -> view(jobId, partition, staleHere).map(found -> found.map(JobViewJson::of));
        return local ? here(jobId, here, stale) : routed(jobId, here, (host, staleThere) -> peers.get(host, jobId, staleThere));
    }

    /**
     * The view of a job once it satisfies {@code waitFor}, or when {@code timeout} has passed; empty when the
     * job does not exist. A change without a version waits for the next change after the view as it is now.
     */
    public Mono<Optional<Waited>> await(String jobId, WaitFor waitFor, Duration timeout, boolean local) {
        if (local) {
            return Mono.defer(() -> awaitHere(jobId, placement.metadataFor(jobId).partition(), waitFor, timeout));
        }
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (waitFor.isChange() && waitFor.version() == null) {
                // fix the version now, so that a retry at another instance waits for the same change
                return get(jobId, false, false).flatMap(found -> found.isEmpty() ? Mono.just(Optional.<Waited>empty())
                        : awaitRouted(jobId, WaitFor.change(found.get().version()), deadline));
            }
            return awaitRouted(jobId, waitFor, deadline);
        });
    }

    /** The last {@code tail} lines of one attempt's log (null attempt: the current one); empty for an unknown job. */
    public Mono<Optional<JobLogJson>> logs(String jobId, Integer attempt, int tail, boolean local, boolean stale) {
        BiFunction<Integer, Boolean, Mono<Optional<JobLogJson>>> here = (partition, staleHere) ->
                view(jobId, partition, staleHere).flatMap(found -> found.isEmpty()
                        ? Mono.just(Optional.<JobLogJson>empty())
                        : Mono.fromCallable(() -> Optional.of(JobLogJson.of(jobId,
                                        stores.logTail(found.get(), partition, attempt, tail, staleHere))))
                                .subscribeOn(Schedulers.boundedElastic())); // up to thousands of lines: off the event loop
        return local ? here(jobId, here, stale)
                : routed(jobId, here, (host, staleThere) -> peers.logs(host, jobId, attempt, tail, staleThere));
    }

    /** Entries {@code after + 1 ...} of a job's history, at most {@code limit}; empty for an unknown job. */
    public Mono<Optional<JobHistoryJson>> history(String jobId, long after, int limit, boolean local, boolean stale) {
        BiFunction<Integer, Boolean, Mono<Optional<JobHistoryJson>>> here = (partition, staleHere) ->
                view(jobId, partition, staleHere).flatMap(found -> found.isEmpty()
                        ? Mono.just(Optional.<JobHistoryJson>empty())
                        : Mono.fromCallable(() -> {
                                    JobHistoryReader.Page page = stores.history(jobId, partition, after, limit, staleHere);
                                    return Optional.of(new JobHistoryJson(jobId,
                                            page.entries().stream().map(HistoryEntries::parse).toList(), page.hasMore()));
                                })
                                .subscribeOn(Schedulers.boundedElastic()));
        return local ? here(jobId, here, stale)
                : routed(jobId, here, (host, staleThere) -> peers.history(host, jobId, after, limit, staleThere));
    }

    /**
     * A newest-first page and the total of matching jobs: from every partition unless {@code local}; with
     * {@code local}, from {@code partitions} (or, when null, those this instance folds).
     */
    public Mono<JobPageJson> list(ListingQuery query, boolean local, Collection<Integer> partitions, boolean stale) {
        return local ? listHere(query, partitions, stale) : retry.apply(gather(query));
    }

    private Mono<JobPageJson> listHere(ListingQuery query, Collection<Integer> partitions, boolean stale) {
        return Mono.fromCallable(() -> {
                    ProjectionStores.LocalListing listing = stores.list(query, partitions, stale);
                    return new JobPageJson(listing.items().stream().map(JobViewJson::of).toList(), listing.hasMore(),
                            listing.total(), List.copyOf(listing.partitions()));
                })
                .subscribeOn(Schedulers.boundedElastic()); // several store seeks: keep them off the event loop
    }

    private Mono<JobPageJson> gather(ListingQuery query) {
        return placement.partitionCount().flatMap(count -> Mono.defer(() -> {
            HostInfo self = placement.self();
            Map<Integer, Placement.Holders> holders = placement.holders();
            Map<HostInfo, List<Integer>> byActive = new LinkedHashMap<>();
            List<Integer> withoutActive = new ArrayList<>();
            for (int partition = 0; partition < count; partition++) {
                Placement.Holders holder = holders.get(partition);
                if (holder != null && holder.active() != null) {
                    byActive.computeIfAbsent(holder.active(), k -> new ArrayList<>()).add(partition);
                } else {
                    withoutActive.add(partition);
                }
            }
            List<Mono<List<JobPageJson>>> calls = new ArrayList<>();
            byActive.forEach((host, partitions) -> calls.add(ask(host, self, query, partitions, false)
                    .map(List::of)
                    .onErrorResume(StoresUnavailableException.class,
                            e -> fromStandbys(partitions, holders, self, query, e))));
            if (!withoutActive.isEmpty()) {
                calls.add(fromStandbys(withoutActive, holders, self, query,
                        new StoresUnavailableException("no instance folds partitions " + withoutActive + " now")));
            }
            return Flux.merge(calls).collectList().map(answers -> merge(
                    answers.stream().flatMap(List::stream).toList(), count, query.limit()));
        }));
    }

    /** The pages of {@code partitions} from the first standby of each, or {@code cause} when one has none. */
    private Mono<List<JobPageJson>> fromStandbys(List<Integer> partitions, Map<Integer, Placement.Holders> holders,
            HostInfo self, ListingQuery query, StoresUnavailableException cause) {
        Map<HostInfo, List<Integer>> byStandby = new LinkedHashMap<>();
        for (int partition : partitions) {
            Placement.Holders holder = holders.get(partition);
            if (holder == null || holder.standbys().isEmpty()) {
                return Mono.error(cause);
            }
            byStandby.computeIfAbsent(holder.standbys().get(0), k -> new ArrayList<>()).add(partition);
        }
        return Flux.fromIterable(byStandby.entrySet())
                .flatMap(entry -> ask(entry.getKey(), self, query, entry.getValue(), true))
                .collectList();
    }

    private Mono<JobPageJson> ask(HostInfo host, HostInfo self, ListingQuery query, List<Integer> partitions, boolean stale) {
        return host.equals(self) ? listHere(query, partitions, stale) : peers.list(host, query, partitions, stale);
    }

    /** One page of the pages of all partitions, each of which must have answered exactly once. */
    static JobPageJson merge(List<JobPageJson> pages, int partitionCount, int limit) {
        Set<Integer> answered = new HashSet<>();
        long total = 0;
        List<Page<JobViewJson>> items = new ArrayList<>(pages.size());
        for (JobPageJson page : pages) {
            if (page.partitions() == null) {
                throw new StoresUnavailableException("an instance did not say which partitions it listed");
            }
            for (int partition : page.partitions()) {
                if (!answered.add(partition)) {
                    throw new StoresUnavailableException("partition " + partition + " was listed twice (a rebalance)");
                }
            }
            total += page.total();
            items.add(new Page<>(page.items(), page.hasMore()));
        }
        for (int partition = 0; partition < partitionCount; partition++) {
            if (!answered.contains(partition)) {
                throw new StoresUnavailableException("partition " + partition + " was not listed (a rebalance)");
            }
        }
        Page<JobViewJson> merged = Page.merge(items, JobViewJson::id, limit);
        return new JobPageJson(merged.items(), merged.hasMore(), total, null);
    }

    /** A per-job request answered here, for the job's partition. */
    private <T> Mono<Optional<T>> here(String jobId, BiFunction<Integer, Boolean, Mono<Optional<T>>> here, boolean stale) {
        return Mono.defer(() -> here.apply(placement.metadataFor(jobId).partition(), stale));
    }

    /**
     * A per-job request answered by the job's active instance, or, when it cannot answer, by a standby that
     * has the job; retried while no instance can answer.
     */
    private <T> Mono<Optional<T>> routed(String jobId, BiFunction<Integer, Boolean, Mono<Optional<T>>> here,
            BiFunction<HostInfo, Boolean, Mono<Optional<T>>> there) {
        return retry.apply(Mono.defer(
                () -> KeyedRead.attempt(placement, placement.metadataFor(jobId), "job " + jobId, here, there)));
    }

    private Mono<Optional<Waited>> awaitRouted(String jobId, WaitFor waitFor, long deadline) {
        Mono<Optional<Waited>> attempt = Mono.defer(() -> {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (left.isZero()) {
                return get(jobId, false, false).map(found -> found.map(
                        view -> new Waited(view, waitFor.satisfiedBy(view.status(), view.version()))));
            }
            KeyQueryMetadata metadata = placement.metadataFor(jobId);
            if (!Placement.hasActive(metadata)) {
                return Mono.error(new StoresUnavailableException("no instance folds the partition of job " + jobId + " now"));
            }
            HostInfo active = metadata.activeHost();
            return active.equals(placement.self()) ? awaitHere(jobId, metadata.partition(), waitFor, left)
                    : peers.await(active, jobId, waitFor, left);
        });
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return retry.apply(attempt, left.plus(retry.within()));
    }

    /** A long-poll at the instance that folds the job: the fold completes it, or the timer. */
    private Mono<Optional<Waited>> awaitHere(String jobId, int partition, WaitFor waitFor, Duration timeout) {
        return find(jobId, partition).flatMap(found -> {
            if (found.isEmpty()) {
                return Mono.just(Optional.<Waited>empty());
            }
            JobStatusView now = found.get();
            WaitFor fixed = waitFor.from(now);
            if (fixed.satisfiedBy(now)) {
                return Mono.just(Optional.of(new Waited(JobViewJson.of(now), true)));
            }
            return watches.await(jobId, partition, fixed, timeout, () -> stores.get(jobId, partition, false))
                    .map(outcome -> switch (outcome.kind()) {
                        case SATISFIED -> Optional.of(new Waited(JobViewJson.of(outcome.view()), true));
                        case TIMED_OUT -> {
                            JobStatusView latest = stores.get(jobId, partition, false);
                            JobStatusView view = latest == null ? now : latest;
                            yield Optional.of(new Waited(JobViewJson.of(view), fixed.satisfiedBy(view)));
                        }
                        case MOVED -> throw new StoresUnavailableException(
                                "this instance no longer folds the partition of job " + jobId);
                    });
        });
    }

    /** A view from this instance: a stale read as it is; otherwise with read-your-writes before "not found". */
    private Mono<Optional<JobStatusView>> view(String jobId, int partition, boolean stale) {
        return stale ? Mono.fromCallable(() -> Optional.ofNullable(stores.get(jobId, partition, true))) : find(jobId, partition);
    }

    /**
     * The view of a job from the local store of its partition; when absent, looked up again once the
     * partition has been folded up to the end it had now (read-your-writes).
     */
    private Mono<Optional<JobStatusView>> find(String jobId, int partition) {
        return Mono.defer(() -> {
            Optional<JobStatusView> found = Optional.ofNullable(stores.get(jobId, partition, false));
            if (found.isPresent()) {
                return Mono.just(found);
            }
            return readYourWrites.awaitCaughtUp(partition)
                    .map(caughtUp -> Optional.ofNullable(stores.get(jobId, partition, false)));
        });
    }
}
