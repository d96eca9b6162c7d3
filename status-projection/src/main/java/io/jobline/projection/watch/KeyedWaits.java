package io.jobline.projection.watch;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Waits on this instance for a value that the fold stores under a key: each is a future that the fold completes
 * (through {@link #stored}) when it stores a value that ends it, and a timer completes otherwise. No thread
 * waits. A wait belongs to the partition of its key: when the instance gives up that partition, the wait ends
 * as moved, so that the caller can ask the new owner. When the application stops, every wait ends as timed out,
 * before the web server's graceful shutdown waits for the requests in flight.
 *
 * @param <V> what the fold stores under a key
 * @param <O> how a wait ended
 */
public abstract class KeyedWaits<V, O> implements SmartLifecycle {

    private record Wait<V, O>(int partition, Predicate<V> endsWith, CompletableFuture<O> done) {
    }

    private final Map<String, Set<Wait<V, O>>> byKey = new ConcurrentHashMap<>();
    private final O timedOut;
    private final O moved;
    private volatile boolean running;

    protected KeyedWaits(O timedOut, O moved) {
        this.timedOut = timedOut;
        this.moved = moved;
    }

    /** How a wait ended by {@code value}. */
    protected abstract O satisfied(V value);

    /**
     * Waits until a value stored under {@code key} passes {@code endsWith} or {@code timeout} passes.
     * {@code current} reads the stored value once the wait is registered, so that one stored just before is not
     * missed. Completes off the stream thread.
     */
    protected final Mono<O> awaitStored(String key, int partition, Predicate<V> endsWith, Duration timeout,
            Supplier<V> current) {
        return Mono.defer(() -> {
            Wait<V, O> wait = new Wait<>(partition, endsWith, new CompletableFuture<>());
            byKey.compute(key, (k, waits) -> { // atomically with the removal of an emptied set
                Set<Wait<V, O>> set = waits == null ? ConcurrentHashMap.newKeySet() : waits;
                set.add(wait);
                return set;
            });
            try {
                complete(wait, current.get());
            } catch (RuntimeException e) {
                remove(key, wait);
                return Mono.error(e);
            }
            return Mono.fromFuture(wait.done, true)
                    .timeout(timeout, Mono.just(timedOut))
                    .doFinally(signal -> remove(key, wait));
        }).publishOn(Schedulers.parallel());
    }

    /** The fold has stored {@code value} under {@code key}: ends the waits on the key that it satisfies. */
    protected final void stored(String key, V value) {
        Set<Wait<V, O>> waits = byKey.get(key);
        if (waits != null) {
            waits.forEach(wait -> complete(wait, value));
        }
    }

    /** Ends the waits on the keys of {@code partition} as moved. */
    public void partitionClosed(int partition) {
        byKey.values().forEach(waits -> waits.forEach(wait -> {
            if (wait.partition == partition) {
                wait.done.complete(moved);
            }
        }));
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every wait as timed out. */
    @Override
    public void stop() {
        running = false;
        byKey.values().forEach(waits -> waits.forEach(wait -> wait.done.complete(timedOut)));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (which waits for the requests in flight). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    /** How many waits there are now (for tests and metrics). */
    public int waiting() {
        return byKey.values().stream().mapToInt(Set::size).sum();
    }

    private void complete(Wait<V, O> wait, V value) {
        if (wait.endsWith.test(value)) {
            wait.done.complete(satisfied(value));
        }
    }

    private void remove(String key, Wait<V, O> wait) {
        byKey.computeIfPresent(key, (k, waits) -> {
            waits.remove(wait);
            return waits.isEmpty() ? null : waits;
        });
    }
}
