package io.jobline.projection.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class IdempotencyWatchesTest {

    private static final String KEY = "ab".repeat(32);
    private static final String OTHER_KEY = "cd".repeat(32);
    private static final Duration LONG = Duration.ofMinutes(5);

    private final IdempotencyWatches watches = new IdempotencyWatches();

    @Test
    void aWaitEndsWhenItsKeyIsStoredAndOnlyThen() throws Exception {
        var waiting = watches.await(KEY, 1, LONG, () -> null).toFuture();
        watches.accepted(1, OTHER_KEY, entry("job-b", Instant.now()));
        watches.accepted(1, KEY, entry("job-old", Instant.now().minus(Duration.ofDays(2)))); // replayed, expired
        assertThat(waiting).isNotDone();

        watches.accepted(1, KEY, entry("job-a", Instant.now()));
        assertThat(waiting.get().kind()).isEqualTo(IdempotencyWatches.Outcome.Kind.FOUND);
        assertThat(waiting.get().entry().jobId()).isEqualTo("job-a");
        assertThat(watches.waiting()).isZero();
    }

    @Test
    void aWaitEndsWhenItsTimeIsUpWhenThePartitionMovesAndWhenTheApplicationStops() throws Exception {
        assertThat(watches.await(KEY, 0, Duration.ofMillis(20), () -> null).toFuture().get().kind())
                .isEqualTo(IdempotencyWatches.Outcome.Kind.TIMED_OUT);

        var onZero = watches.await(KEY, 0, LONG, () -> null).toFuture();
        var onOne = watches.await(OTHER_KEY, 1, LONG, () -> null).toFuture();
        watches.partitionClosed(0);
        assertThat(onZero.get().kind()).isEqualTo(IdempotencyWatches.Outcome.Kind.MOVED);
        assertThat(onOne).isNotDone();

        watches.start();
        watches.stop();
        assertThat(onOne.get().kind()).isEqualTo(IdempotencyWatches.Outcome.Kind.TIMED_OUT);
        assertThat(watches.waiting()).isZero();
    }

    @Test
    void aFailingReadOfTheStoreLeavesNoWaitBehind() {
        var failed = watches.await(KEY, 0, LONG, () -> {
            throw new IllegalStateException("store not queryable");
        }).toFuture();
        assertThat(failed).failsWithin(Duration.ofSeconds(5));
        assertThat(watches.waiting()).isZero();
    }

    private static IdempotencyEntry entry(String jobId, Instant acceptedAt) {
        return new IdempotencyEntry(jobId, null, acceptedAt);
    }
}
