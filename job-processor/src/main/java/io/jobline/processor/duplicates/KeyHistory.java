package io.jobline.processor.duplicates;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The submissions of one idempotency key on one commands partition, by offset. In offset order, the first one is
 * accepted, and each later one repeats the accepted one when submitted within the window after it; one submitted later
 * than that is accepted in its turn. The answer for an offset depends only on the submissions before it, so it does not
 * matter in which order they were handed in.
 */
final class KeyHistory {

    static final int MAX_SUBMISSIONS = 16;

    private final TreeMap<Long, Submission> byOffset = new TreeMap<>();

    void add(long offset, String jobId, Instant submittedAt) {
        byOffset.put(offset, new Submission(offset, jobId, submittedAt));
        if (byOffset.size() > MAX_SUBMISSIONS) {
            byOffset.pollFirstEntry();
        }
    }

    /** The accepted submission that a submission at this offset, submitted at that time, repeats, if any. */
    Optional<Submission> repeatedBy(long offset, Instant submittedAt, Duration window) {
        Submission accepted = null;
        for (Map.Entry<Long, Submission> earlier : byOffset.headMap(offset, false).entrySet()) {
            if (accepted == null || !within(accepted.submittedAt(), earlier.getValue().submittedAt(), window)) {
                accepted = earlier.getValue();
            }
        }
        return accepted != null && within(accepted.submittedAt(), submittedAt, window) ? Optional.of(accepted)
                : Optional.empty();
    }

    /** Also true for a later submission stamped earlier (two API instances' clocks): it came second all the same. */
    private static boolean within(Instant accepted, Instant later, Duration window) {
        return Duration.between(accepted, later).compareTo(window) < 0;
    }

    record Submission(long offset, String jobId, Instant submittedAt) {
    }
}
