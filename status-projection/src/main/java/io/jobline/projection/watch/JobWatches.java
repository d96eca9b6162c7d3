package io.jobline.projection.watch;

import java.time.Duration;
import java.util.function.Supplier;

import io.jobline.projection.topology.ViewListener;
import io.jobline.schemas.JobStatusView;
import reactor.core.publisher.Mono;

/**
 * The long-polls waiting on this instance, by job: each is a future that the fold completes (through
 * {@link ViewListener}) when it stores a view that satisfies it, and a timer completes otherwise. No thread
 * waits. When the instance gives up a partition, the waits on its jobs end as {@link Outcome#moved()} so
 * that the caller can ask the new owner. When the application stops, every wait ends as timed out, before
 * the web server's graceful shutdown waits for the requests in flight.
 */
public class JobWatches extends KeyedWaits<JobStatusView, JobWatches.Outcome> implements ViewListener {

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

    public JobWatches() {
        super(Outcome.TIMED_OUT, Outcome.MOVED);
    }

    /**
     * Waits until the job's view satisfies {@code waitFor} or {@code timeout} passes. {@code current} reads
     * the stored view once the wait is registered, so that a change stored just before is not missed.
     * Completes off the stream thread.
     */
    public Mono<Outcome> await(String jobId, int partition, WaitFor waitFor, Duration timeout,
            Supplier<JobStatusView> current) {
        return awaitStored(jobId, partition, waitFor::satisfiedBy, timeout, current);
    }

    @Override
    public void changed(int partition, JobStatusView view) {
        stored(view.getJobId(), view);
    }

    @Override
    protected Outcome satisfied(JobStatusView view) {
        return new Outcome(Outcome.Kind.SATISFIED, view);
    }
}
