package io.jobline.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void keepsTheOriginalAndSaysWhereItCameFromAndWhy() {
        var original = new RecordHeaders().add("traceparent", "t".getBytes(StandardCharsets.UTF_8));
        var record = DeadLetters.record("jobline-status-projection", "jobline.events", 3, 42L,
                "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}, original,
                new IllegalStateException("cannot fold", new UncheckedIOException(new IOException("bad bytes"))));

        assertThat(record.topic()).isEqualTo("jobline.dlq");
        assertThat(record.key()).asString(StandardCharsets.UTF_8).isEqualTo("k");
        assertThat(record.value()).containsExactly(1, 2);
        assertThat(DeadLetters.header(record.headers(), "traceparent")).isEqualTo("t");
        assertThat(DeadLetters.header(record.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("jobline.events");
        assertThat(DeadLetters.header(record.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("3");
        assertThat(DeadLetters.header(record.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("42");
        assertThat(DeadLetters.header(record.headers(), DeadLetters.CONSUMER)).isEqualTo("jobline-status-projection");
        assertThat(DeadLetters.header(record.headers(), DeadLetters.REASON))
                .startsWith("java.lang.IllegalStateException: cannot fold")
                .contains("caused by java.io.IOException: bad bytes")
                .doesNotContain("\tat ");
        assertThat(DeadLetters.header(record.headers(), DeadLetters.FAILED_AT)).matches("\\d{4}-.*Z");
    }

    @Test
    void aSecondTripReplacesTheHeadersInsteadOfPilingThemUp() {
        var headers = new RecordHeaders();
        DeadLetters.addHeaders(headers, "a", "jobline.commands", 0, 1, new RuntimeException("first"));
        DeadLetters.addHeaders(headers, "b", "jobline.dlq", 0, 7, new RuntimeException("second"));

        assertThat(headers.headers(DeadLetters.SOURCE_TOPIC)).hasSize(1);
        assertThat(DeadLetters.header(headers, DeadLetters.REASON)).endsWith("second");
    }

    @Test
    void boundsTheReason() {
        String reason = DeadLetters.reason(new RuntimeException("x".repeat(5000)));
        assertThat(reason).hasSize(DeadLetters.MAX_REASON_LENGTH);
    }
}
