package io.jobline.projection.watch;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;

import io.jobline.projection.topology.ViewListener;
import io.jobline.schemas.JobStatusView;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The long-polls waiting on this instance, by job: each is a future that the fold completes (through
 * {@link ViewListener}) when it stores a view that satisfies it, and a timer completes otherwise. No thread
 * waits. When the instance gives up a partition, the waits on its jobs end as {@link Outcome#moved()} so
 * that the caller can ask the new owner. When the application stops, every wait ends as timed out, before
 * the web server's graceful shutdown waits for the requests in flight.
 */
public class JobWatches implements ViewListener, SmartLifecycle {

    /**
     * How a wait ended.
     *
     * @param view the view that satisfied it (null unless satisfied)
     * @param kind satisfied, timed out, or moved away
     */
    public record Outcome(Kind kind, JobStatusView view) {

        public enum Kind { SATISFIED, TIMED_OUT, MOVED }

        static final Outcome TIMED_OUT = new Outcome(Kind.TIMED_OUT, null);
        static final Outcome MOVED = new Outcome(Kind.MOVED, null);

        public boolean moved() {
            return kind == Kind.MOVED;
        }
    }

    private record Watch(int partition, WaitFor waitFor, CompletableFuture<Outcome> done) {
    }

    private final Map<String, Set<Watch>> byJob = new ConcurrentHashMap<>();
    private volatile boolean running;

    /**
     * Waits until the job's view satisfies {@code waitFor} or {@code timeout} passes. {@code current} reads
     * the stored view once the wait is registered, so that a change stored just before is not missed.
     * Completes off the stream thread.
     */
    public Mono<Outcome> await(String jobId, int partition, WaitFor waitFor, Duration timeout,
            Supplier<JobStatusView> current) {
        return Mono.defer(() -> {
            Watch watch = new Watch(partition, waitFor, new CompletableFuture<>());
            byJob.compute(jobId, (k, watches) -> { // atomically with the removal of an emptied set
                Set<Watch> set = watches == null ? ConcurrentHashMap.newKeySet() : watches;
                set.add(watch);
                return set;
            });
            try {
                JobStatusView now = current.get();
                if (waitFor.satisfiedBy(now)) {
                    watch.done.complete(new Outcome(Outcome.Kind.SATISFIED, now));
                }
            } catch (RuntimeException e) {
                remove(jobId, watch);
                return Mono.error(e);
            }
            return Mono.fromFuture(watch.done, true)
                    .timeout(timeout, Mono.just(Outcome.TIMED_OUT))
                    .doFinally(signal -> remove(jobId, watch));
        }).publishOn(Schedulers.parallel());
    }

    @Override
    public void changed(int partition, JobStatusView view) {
        Set<Watch> watches = byJob.get(view.getJobId());
        if (watches == null) {
            return;
        }
        for (Watch watch : watches) {
            if (watch.waitFor.satisfiedBy(view)) {
                watch.done.complete(new Outcome(Outcome.Kind.SATISFIED, view));
            }
        }
    }

    @Override
    public void partitionClosed(int partition) {
        byJob.values().forEach(watches -> watches.forEach(watch -> {
            if (watch.partition == partition) {
                watch.done.complete(Outcome.MOVED);
            }
        }));
    }

    @Override
    public void start() {
        running = true;
    }

    /** Answers every waiting long-poll with the view as it is. */
    @Override
    public void stop() {
        running = false;
        byJob.values().forEach(watches -> watches.forEach(watch -> watch.done.complete(Outcome.TIMED_OUT)));
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

    /** How many long-polls wait now (for tests and metrics). */
    public int waiting() {
        return byJob.values().stream().mapToInt(Set::size).sum();
    }

    private void remove(String jobId, Watch watch) {
        byJob.computeIfPresent(jobId, (k, watches) -> {
            watches.remove(watch);
            return watches.isEmpty() ? null : watches;
        });
    }
}
