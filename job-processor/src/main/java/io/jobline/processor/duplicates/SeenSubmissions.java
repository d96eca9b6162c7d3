package io.jobline.processor.duplicates;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.jobline.processor.duplicates.KeyHistory.Submission;
import io.jobline.schemas.Idempotency;
import io.jobline.schemas.JobSubmitted;

/**
 * The submissions read lately from each partition of {@code jobline.commands}, to tell a repeated submission from a
 * new one: a {@code JobSubmitted} is a repeat when an earlier offset of its partition holds a submission of the same
 * job id, or of the same owner and idempotency key submitted (by {@code submittedAt}) less than
 * {@link Idempotency#WINDOW} before it. The command API places every submission of an owner's key on one partition,
 * so the first of them wins everywhere: here, and in the projection, which shows only that job.
 *
 * <p>Both the intake and the cancel watch hand in what they read; the watch reads every partition from a look-back
 * before the intake group's offsets, so an instance knows the recent submissions of a partition it takes over. Before
 * the intake decides on a submission it waits, boundedly, until the watch has read that partition up to it: right after
 * a start or a takeover the watch may still be behind, and deciding then could start a repeat. The memory is bounded:
 * the oldest entries go first.
 */
@Component
public class SeenSubmissions {

    static final int MAX_JOBS = 100_000;
    static final int MAX_KEYS = 100_000;
    /**
     * How long the intake waits for the watch before deciding on what it knows. The watch reads far faster than the
     * intake; it is only behind while it reads its look-back at start-up, and a watch that takes longer than this has
     * trouble that waiting would not cure. Well below the transaction and poll timeouts the intake runs under.
     */
    static final Duration WATCH_WAIT = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(SeenSubmissions.class);

    private final Map<PartitionKey, Long> firstOffsetOfJob = bounded(MAX_JOBS);
    private final Map<PartitionKey, KeyHistory> historyOfKey = bounded(MAX_KEYS);
    private final WatchCoverage coverage = new WatchCoverage();
    private final Duration window;
    private final Duration watchWait;

    public SeenSubmissions() {
        this(Idempotency.WINDOW, WATCH_WAIT);
    }

    SeenSubmissions(Duration window, Duration watchWait) {
        this.window = window;
        this.watchWait = watchWait;
    }

    /** Remembers a submission read at that offset of its commands partition. */
    public synchronized void seen(int partition, long offset, JobSubmitted submitted) {
        PartitionKey job = new PartitionKey(partition, submitted.getJobId());
        Long first = firstOffsetOfJob.remove(job);
        firstOffsetOfJob.put(job, first == null ? offset : Math.min(first, offset));
        PartitionKey key = storeKey(partition, submitted);
        if (key != null) {
            KeyHistory history = historyOfKey.remove(key);
            if (history == null) {
                history = new KeyHistory();
            }
            history.add(offset, submitted.getJobId(), submitted.getSubmittedAt());
            historyOfKey.put(key, history);
        }
    }

    /**
     * Remembers the submission and tells whether it repeats an earlier one, once the watch has read its partition up
     * to it (or after {@link #WATCH_WAIT}).
     *
     * @return what it repeats, for the log; empty for a new submission
     */
    public Optional<String> repeated(int partition, long offset, JobSubmitted submitted) throws InterruptedException {
        if (!coverage.awaitReadBefore(partition, offset, watchWait)) {
            log.warn("the cancel watch has not read partition {} up to offset {} within {}: deciding whether job {} "
                    + "was submitted before from what this instance has read", partition, offset, watchWait,
                    submitted.getJobId());
        }
        synchronized (this) {
            Optional<String> repeated = earlier(partition, offset, submitted);
            seen(partition, offset, submitted);
            return repeated;
        }
    }

    private Optional<String> earlier(int partition, long offset, JobSubmitted submitted) {
        Long firstOfJob = firstOffsetOfJob.get(new PartitionKey(partition, submitted.getJobId()));
        if (firstOfJob != null && firstOfJob < offset) {
            return Optional.of("job " + submitted.getJobId() + " was submitted at offset " + firstOfJob);
        }
        PartitionKey key = storeKey(partition, submitted);
        KeyHistory history = key == null ? null : historyOfKey.get(key);
        if (history == null) {
            return Optional.empty();
        }
        return history.repeatedBy(offset, submitted.getSubmittedAt(), window).map(accepted -> describe(accepted,
                submitted));
    }

    private String describe(Submission accepted, JobSubmitted submitted) {
        return "owner " + submitted.getOwner() + " used its idempotency key for job " + accepted.jobId()
                + " at offset " + accepted.offset() + ", submitted " + accepted.submittedAt() + " (within "
                + window.toHours() + " h)";
    }

    /** The cancel watch is starting: until it stops, the intake waits for it to read up to each submission. */
    public void watchStarting() {
        coverage.starting();
    }

    /** The cancel watch reads these partitions of {@code jobline.commands}, and only these. */
    public void watchReading(Collection<Integer> partitions) {
        coverage.reading(partitions);
    }

    /** The cancel watch has stopped: the intake no longer waits for it. */
    public void watchStopped() {
        coverage.stopped();
    }

    /** The cancel watch has handed in every submission of the partition below this position. */
    public void watchReadUpTo(int partition, long position) {
        coverage.readUpTo(partition, position);
    }

    private static PartitionKey storeKey(int partition, JobSubmitted submitted) {
        String idempotencyKey = submitted.getIdempotencyKey();
        return idempotencyKey == null ? null
                : new PartitionKey(partition, Idempotency.storeKey(submitted.getOwner(), idempotencyKey));
    }

    /** Insertion-ordered; callers re-insert an entry they update, so the least recently seen goes first. */
    private static <V> Map<PartitionKey, V> bounded(int max) {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PartitionKey, V> eldest) {
                return size() > max;
            }
        };
    }

    private record PartitionKey(int partition, String id) {
    }
}
