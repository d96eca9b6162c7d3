package io.jobline.projection.idempotency;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.Idempotency;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobSubmitted;

/**
 * The {@value #STORE} store of one partition, kept by the fold: {@code Idempotency.storeKey(owner, key)} →
 * {@link IdempotencyEntry}. The first submission of a store key makes the entry; a later one with another job
 * id, submitted within {@link Idempotency#WINDOW} of the entry, is a duplicate, which the fold skips entirely
 * (no view, no index entry, no history), as the processor does not run it. Every JobSubmitted of one store key
 * is on the same commands partition by construction (command-api picks the job id so), so one task sees them
 * all, in order.
 *
 * <p>Decisions use the submissions' own times ({@code submittedAt}), so a rebuild decides as the original fold
 * did. Expired entries are purged by {@link #purge(Instant)}.
 */
public final class IdempotencyKeys {

    public static final String STORE = "idempotency-keys";

    /** Entries one purge deletes at most, to keep its transaction small. */
    static final int MAX_PURGED_PER_RUN = 10_000;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final KeyValueStore<String, IdempotencyEntry> store;
    private final IdempotencyListener listener;

    public IdempotencyKeys(KeyValueStore<String, IdempotencyEntry> store, IdempotencyListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /**
     * Whether {@code commandOrEvent} is a submission that repeats an owner's idempotency key already taken by
     * another job within the window (logged here).
     */
    public boolean isDuplicate(String jobId, Object commandOrEvent) {
        JobSubmitted submitted = keyedSubmission(commandOrEvent);
        if (submitted == null) {
            return false;
        }
        String storeKey = storeKey(submitted);
        IdempotencyEntry first = store.get(storeKey);
        if (first == null || first.jobId().equals(jobId) || !first.holdsAt(submitted.getSubmittedAt())) {
            return false;
        }
        log.info("ignoring a repeated submission: job {} of {} reuses the idempotency key of job {} (accepted {})",
                jobId, submitted.getOwner(), first.jobId(), first.acceptedAt());
        return true;
    }

    /**
     * Records that the submission of {@code jobId} made its job (call only then, so that a repeated submission
     * of an existing job never claims a key): its key, if it has one, now points at the job.
     */
    public void submitted(int partition, String jobId, Object commandOrEvent) {
        JobSubmitted submitted = keyedSubmission(commandOrEvent);
        if (submitted == null) {
            return;
        }
        String storeKey = storeKey(submitted);
        IdempotencyEntry first = store.get(storeKey);
        if (first != null && first.jobId().equals(jobId)) {
            return;
        }
        // absent, or expired by the time of this submission (isDuplicate has turned away the others)
        IdempotencyEntry entry = new IdempotencyEntry(jobId, submitted.getRequestFingerprint(), submitted.getSubmittedAt());
        store.put(storeKey, entry);
        listener.accepted(partition, storeKey, entry);
    }

    /** Deletes the entries that no longer hold at {@code time} (their window has passed); returns how many. */
    public int purge(Instant time) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, IdempotencyEntry> it = store.all()) {
            while (it.hasNext() && expired.size() < MAX_PURGED_PER_RUN) {
                KeyValue<String, IdempotencyEntry> entry = it.next();
                if (!entry.value.holdsAt(time)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        if (!expired.isEmpty()) {
            log.info("purged {} idempotency keys whose window had passed by {}", expired.size(), time);
        }
        return expired.size();
    }

    private static String storeKey(JobSubmitted submitted) {
        return Idempotency.storeKey(submitted.getOwner(), submitted.getIdempotencyKey());
    }

    /** The submission a command carries, if it is one with an idempotency key; else null. */
    private static JobSubmitted keyedSubmission(Object commandOrEvent) {
        Object payload = commandOrEvent instanceof JobCommand command ? command.getCommand() : commandOrEvent;
        if (payload instanceof JobSubmitted submitted && submitted.getIdempotencyKey() != null) {
            return submitted;
        }
        return null;
    }
}
