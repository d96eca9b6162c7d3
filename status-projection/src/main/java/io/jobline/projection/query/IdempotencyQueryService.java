package io.jobline.projection.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

import org.apache.kafka.streams.state.HostInfo;

import io.jobline.projection.idempotency.IdempotencyEntry;
import io.jobline.projection.idempotency.IdempotencyWatches;
import reactor.core.publisher.Mono;

/**
 * Answers {@code GET /internal/idempotency/{storeKey}}: what an owner's idempotency key points at. Routed by
 * the store key like a job read: to the instance that folds its partition, or, when that one cannot answer,
 * to a standby, which is trusted when it has the key but not when it lacks it; retried while no instance can
 * answer. The instance that folds the partition says "absent" only once it has folded the commands partition
 * up to the end it had when asked (read-your-writes) and the wait has passed without the key appearing; the
 * fold ends the wait when it stores the key. An entry whose 24 hours have passed counts as absent. No thread
 * waits.
 */
public class IdempotencyQueryService {

    private final Placement placement;
    private final ProjectionStores stores;
    private final ReadYourWrites readYourWrites;
    private final PeerClient peers;
    private final IdempotencyWatches watches;
    private final UnavailableRetry retry;

    public IdempotencyQueryService(Placement placement, ProjectionStores stores, ReadYourWrites readYourWrites,
            PeerClient peers, IdempotencyWatches watches, UnavailableRetry retry) {
        this.placement = placement;
        this.stores = stores;
        this.readYourWrites = readYourWrites;
        this.peers = peers;
        this.watches = watches;
        this.retry = retry;
    }

    /**
     * What {@code storeKey} points at, waiting up to {@code wait} for it to appear; empty when it is absent.
     * With {@code local}, from this instance's stores only ({@code stale}: a standby copy, without waiting).
     */
    public Mono<Optional<IdempotencyJson>> find(String storeKey, Duration wait, boolean local, boolean stale) {
        if (local) {
            return Mono.defer(() -> {
                int partition = placement.metadataForIdempotencyKey(storeKey).partition();
                return stale ? standbyHere(storeKey, partition) : awaitHere(storeKey, partition, wait);
            });
        }
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + wait.toNanos();
            return retry.apply(Mono.defer(() -> routed(storeKey, deadline)), wait.plus(retry.within()));
        });
    }

    private Mono<Optional<IdempotencyJson>> routed(String storeKey, long deadline) {
        BiFunction<Integer, Boolean, Mono<Optional<IdempotencyJson>>> here = (partition, stale) ->
                stale ? standbyHere(storeKey, partition) : awaitHere(storeKey, partition, left(deadline));
        BiFunction<HostInfo, Boolean, Mono<Optional<IdempotencyJson>>> there = (host, stale) ->
                peers.idempotency(host, storeKey, stale ? Duration.ZERO : left(deadline), stale);
        return KeyedRead.attempt(placement, placement.metadataForIdempotencyKey(storeKey),
                "idempotency key " + storeKey, here, there);
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private Mono<Optional<IdempotencyJson>> standbyHere(String storeKey, int partition) {
        return Mono.fromCallable(() -> found(stores.idempotencyEntry(storeKey, partition, true)));
    }

    /** At the instance that folds the key's partition: read-your-writes, then the wait, ended by the fold or the timer. */
    private Mono<Optional<IdempotencyJson>> awaitHere(String storeKey, int partition, Duration wait) {
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + wait.toNanos();
            Optional<IdempotencyJson> now = found(stores.idempotencyEntry(storeKey, partition, false));
            if (now.isPresent()) {
                return Mono.just(now);
            }
            return readYourWrites.awaitCaughtUp(partition).flatMap(caughtUp -> {
                Optional<IdempotencyJson> caught = found(stores.idempotencyEntry(storeKey, partition, false));
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (caught.isPresent() || left.isNegative() || left.isZero()) {
                    return Mono.just(caught);
                }
                return watches.await(storeKey, partition, left, () -> stores.idempotencyEntry(storeKey, partition, false))
                        .map(outcome -> switch (outcome.kind()) {
                            case FOUND -> Optional.of(IdempotencyJson.of(outcome.entry()));
                            case TIMED_OUT -> Optional.<IdempotencyJson>empty();
                            case MOVED -> throw new StoresUnavailableException(
                                    "this instance no longer folds the partition of idempotency key " + storeKey);
                        });
            });
        });
    }

    /** The entry as an answer, if there is one and its window has not passed. */
    private static Optional<IdempotencyJson> found(IdempotencyEntry entry) {
        return entry != null && entry.holdsAt(Instant.now()) ? Optional.of(IdempotencyJson.of(entry)) : Optional.empty();
    }
}
