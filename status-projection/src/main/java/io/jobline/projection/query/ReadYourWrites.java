package io.jobline.projection.query;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

import io.jobline.projection.topology.FoldedOffsets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Read-your-writes for the job view: before a {@code GET} answers 404, this waits, without holding a thread,
 * until the projection has folded the key's {@code jobline.commands} partition up to the end offset it had
 * when the request arrived, or until the configured bound passes.
 *
 * <p>"Folded up to the end" is known two ways, whichever comes first: the processor's own record of the
 * highest folded offset reaches {@code end - 1} (immediate, notified by the stream thread); or the offset
 * the application's consumer group has committed reaches {@code end}. The second covers a partition whose
 * last offset is one the processor never sees (a transaction marker, a record that could not be decoded) and
 * a partition this instance restored from its changelog without new records since.
 */
public class ReadYourWrites {

    /** The counter of read-your-writes checks, tagged {@code outcome}. */
    public static final String METER = "jobline.projection.read.your.writes";

    private final Admin admin;
    private final FoldedOffsets offsets;
    private final String groupId;
    private final Duration timeout;
    private final Duration committedCheckInterval;
    private final Counter alreadyCaughtUp;
    private final Counter caughtUp;
    private final Counter timedOut;
    private final Counter unavailable;

    public ReadYourWrites(Admin admin, FoldedOffsets offsets, String groupId, Duration timeout,
            Duration committedCheckInterval, MeterRegistry meters) {
        this.admin = admin;
        this.offsets = offsets;
        this.groupId = groupId;
        this.timeout = timeout;
        this.committedCheckInterval = committedCheckInterval;
        this.alreadyCaughtUp = outcome(meters, "already-caught-up");
        this.caughtUp = outcome(meters, "caught-up");
        this.timedOut = outcome(meters, "timed-out");
        this.unavailable = outcome(meters, "unavailable");
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder(METER)
                .description("Lookups of absent job views that checked read-your-writes, by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /**
     * Completes with true once the partition is folded up to its current end, with false when the bound
     * passed first, or with a {@link StoresUnavailableException} when the broker cannot tell the end offset.
     */
    public Mono<Boolean> awaitCaughtUp(int partition) {
        return Mono.defer(() -> {
            TopicPartition tp = new TopicPartition(offsets.topic(), partition);
            long started = System.nanoTime();
            return endOffset(tp)
                    .timeout(timeout)
                    .onErrorMap(e -> new StoresUnavailableException("the end offset of " + tp + " is not known", e))
                    .doOnError(e -> unavailable.increment())
                    .flatMap(end -> {
                        if (end <= 0 || offsets.folded(partition) >= end - 1) {
                            alreadyCaughtUp.increment();
                            return Mono.just(true);
                        }
                        Duration left = timeout.minusNanos(System.nanoTime() - started);
                        return Mono.firstWithValue(
                                        offsets.awaitFolded(partition, end - 1).thenReturn(true),
                                        committedReaches(tp, end).thenReturn(true))
                                .timeout(left.isNegative() ? Duration.ZERO : left, Mono.just(false))
                                .doOnNext(done -> (done ? caughtUp : timedOut).increment());
                    });
        }).publishOn(Schedulers.parallel()); // continue off the admin client's and the stream thread's threads
    }

    /** The end offset of the partition for a read_committed consumer (the last stable offset). */
    Mono<Long> endOffset(TopicPartition tp) {
        ListOffsetsOptions options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
                .timeoutMs((int) timeout.toMillis());
        return Mono.defer(() -> toMono(admin.listOffsets(Map.of(tp, OffsetSpec.latest()), options).partitionResult(tp)))
                .map(ListOffsetsResultInfo::offset);
    }

    private Mono<Long> committedReaches(TopicPartition tp, long end) {
        return Flux.interval(committedCheckInterval)
                .concatMap(tick -> committedOffset(tp).onErrorResume(e -> Mono.empty()))
                .filter(committed -> committed >= end)
                .next();
    }

    private Mono<Long> committedOffset(TopicPartition tp) {
        var spec = new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(tp));
        var options = new ListConsumerGroupOffsetsOptions().timeoutMs((int) timeout.toMillis());
        return Mono.defer(() -> toMono(admin.listConsumerGroupOffsets(Map.of(groupId, spec), options)
                        .partitionsToOffsetAndMetadata(groupId)))
                .map(committed -> {
                    OffsetAndMetadata offset = committed.get(tp);
                    return offset == null ? -1L : offset.offset();
                });
    }

    private static <T> Mono<T> toMono(KafkaFuture<T> future) {
        return Mono.fromCompletionStage(future.toCompletionStage());
    }
}
