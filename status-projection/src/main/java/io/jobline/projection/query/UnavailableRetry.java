package io.jobline.projection.query;

import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Retries a call that failed because no instance could answer (a {@link StoresUnavailableException}: a
 * rebalance, an instance stopping), with a backoff that doubles from {@code first} up to {@code max}, until
 * {@code within} has passed since the first try; then the last failure stands (503 to the client). The
 * waits are timers: no thread waits.
 */
public record UnavailableRetry(Duration within, Duration first, Duration max) {

    /** The call, retried while unavailable for at most {@link #within()}. */
    public <T> Mono<T> apply(Mono<T> call) {
        return apply(call, within);
    }

    /** The call, retried while unavailable for at most {@code bound}. */
    public <T> Mono<T> apply(Mono<T> call, Duration bound) {
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + bound.toNanos();
            return call.retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
                Throwable failure = signal.failure();
                long left = deadline - System.nanoTime();
                if (!(failure instanceof StoresUnavailableException) || left <= 0) {
                    return Mono.error(failure);
                }
                long backoff = Math.min(max.toNanos(), first.toNanos() << Math.min(20, signal.totalRetries()));
                return Mono.delay(Duration.ofNanos(Math.min(backoff, left)));
            })));
        });
    }
}
