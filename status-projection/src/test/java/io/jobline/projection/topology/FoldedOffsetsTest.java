package io.jobline.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

class FoldedOffsetsTest {

    private final FoldedOffsets offsets = new FoldedOffsets("jobline.commands");

    @Test
    void keepsTheHighestOffsetPerPartition() {
        assertThat(offsets.folded(0)).isEqualTo(FoldedOffsets.NONE);
        offsets.folded(0, 5);
        offsets.folded(0, 3);
        offsets.folded(1, 1);
        assertThat(offsets.folded(0)).isEqualTo(5);
        assertThat(offsets.folded(1)).isEqualTo(1);

        offsets.reset(0);
        assertThat(offsets.folded(0)).isEqualTo(FoldedOffsets.NONE);
        assertThat(offsets.folded(1)).isEqualTo(1);
    }

    @Test
    void wakesWaitersWhenTheirOffsetIsFolded() throws Exception {
        offsets.folded(0, 1);
        assertThat(offsets.awaitFolded(0, 1).toFuture()).isCompleted();

        CompletableFuture<Void> waiting = offsets.awaitFolded(0, 4).toFuture();
        assertThat(offsets.waiting()).isEqualTo(1);
        offsets.folded(0, 3);
        offsets.folded(1, 9); // another partition
        assertThat(waiting).isNotDone();
        offsets.folded(0, 4);
        assertThat(waiting).isCompleted();
        assertThat(offsets.waiting()).isZero();
    }

    @Test
    void forgetsWaitersThatGaveUp() {
        assertThat(offsets.awaitFolded(0, 10).timeout(Duration.ofMillis(50), Mono.empty()).blockOptional()).isEmpty();
        assertThat(offsets.waiting()).isZero();
    }
}
