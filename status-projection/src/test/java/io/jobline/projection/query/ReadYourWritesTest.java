package io.jobline.projection.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobline.projection.topology.FoldedOffsets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.scheduler.Schedulers;

class ReadYourWritesTest {

    private static final String TOPIC = "jobline.commands";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 2);

    private final Admin admin = mock(Admin.class);
    private final FoldedOffsets offsets = new FoldedOffsets(TOPIC);
    private final AtomicLong committed = new AtomicLong(-1);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ReadYourWrites readYourWrites =
            new ReadYourWrites(admin, offsets, "app", Duration.ofMillis(600), Duration.ofMillis(50), meters);

    @BeforeEach
    void committedOffsets() {
        when(admin.listConsumerGroupOffsets(anyMap(), any(ListConsumerGroupOffsetsOptions.class))).thenAnswer(call -> {
            ListConsumerGroupOffsetsResult result = mock(ListConsumerGroupOffsetsResult.class);
            Map<TopicPartition, OffsetAndMetadata> map = committed.get() < 0 ? Map.of() : Map.of(TP, new OffsetAndMetadata(committed.get()));
            when(result.partitionsToOffsetAndMetadata("app")).thenReturn(KafkaFuture.completedFuture(map));
            return result;
        });
    }

    @Test
    void anEmptyPartitionIsCaughtUp() {
        endOffset(0);
        assertThat(readYourWrites.awaitCaughtUp(2).block(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void caughtUpAtOnceWhenTheLastRecordIsFolded() {
        endOffset(10);
        offsets.folded(2, 9);
        assertThat(readYourWrites.awaitCaughtUp(2).block(Duration.ofSeconds(5))).isTrue();
        assertThat(count("already-caught-up")).isEqualTo(1);
    }

    @Test
    void waitsForTheProcessorToFoldTheLastRecord() {
        endOffset(10);
        offsets.folded(2, 7);
        Schedulers.parallel().schedule(() -> offsets.folded(2, 9), 150, java.util.concurrent.TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        assertThat(readYourWrites.awaitCaughtUp(2).block(Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(count("caught-up")).isEqualTo(1);
        assertThat(offsets.waiting()).isZero();
    }

    @Test
    void theCommittedOffsetCoversALastOffsetTheProcessorNeverSees() {
        endOffset(10); // offset 9 is a transaction marker: the processor folded 8 and will see nothing more
        offsets.folded(2, 8);
        committed.set(10);
        assertThat(readYourWrites.awaitCaughtUp(2).block(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void givesUpAfterTheBound() {
        endOffset(10);
        offsets.folded(2, 3);
        committed.set(4);
        long started = System.nanoTime();
        assertThat(readYourWrites.awaitCaughtUp(2).block(Duration.ofSeconds(5))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(550));
        assertThat(count("timed-out")).isEqualTo(1);
        assertThat(offsets.waiting()).isZero();
    }

    @Test
    void anUnknownEndOffsetIsUnavailableNotAbsent() {
        KafkaFutureImpl<ListOffsetsResultInfo> failed = new KafkaFutureImpl<>();
        failed.completeExceptionally(new TimeoutException("no broker"));
        when(admin.listOffsets(anyMap(), any(ListOffsetsOptions.class))).thenReturn(new ListOffsetsResult(Map.of(TP, failed)));
        assertThatThrownBy(() -> readYourWrites.awaitCaughtUp(2).block(Duration.ofSeconds(5)))
                .isInstanceOf(StoresUnavailableException.class);
        assertThat(count("unavailable")).isEqualTo(1);
    }

    private void endOffset(long end) {
        when(admin.listOffsets(anyMap(), any(ListOffsetsOptions.class))).thenReturn(new ListOffsetsResult(
                Map.of(TP, KafkaFuture.completedFuture(new ListOffsetsResultInfo(end, -1, Optional.empty())))));
    }

    private double count(String outcome) {
        return meters.get(ReadYourWrites.METER).tag("outcome", outcome).counter().count();
    }
}
