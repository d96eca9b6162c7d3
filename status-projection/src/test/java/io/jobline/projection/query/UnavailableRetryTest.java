package io.jobline.projection.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

class UnavailableRetryTest {

    private final UnavailableRetry retry = new UnavailableRetry(Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofMillis(4));

    @Test
    void retriesWhileNoInstanceCanAnswer() {
        AtomicInteger calls = new AtomicInteger();
        Mono<String> call = Mono.fromCallable(() -> {
            if (calls.incrementAndGet() < 5) {
                throw new StoresUnavailableException("rebalancing");
            }
            return "answer";
        });
        assertThat(retry.apply(call).block()).isEqualTo("answer");
        assertThat(calls).hasValue(5);
    }

    @Test
    void givesUpWithTheLastFailureOnceTheBoundHasPassed() {
        AtomicInteger calls = new AtomicInteger();
        Mono<String> call = Mono.fromCallable(() -> {
            throw new StoresUnavailableException("still rebalancing " + calls.incrementAndGet());
        });
        assertThatThrownBy(() -> retry.apply(call, Duration.ofMillis(30)).block())
                .isInstanceOf(StoresUnavailableException.class)
                .hasMessage("still rebalancing " + calls.get()); // the last failure, however many tries fitted
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        Mono<String> call = Mono.fromCallable(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("a bug");
        });
        assertThatThrownBy(() -> retry.apply(call).block()).isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
    }
}
