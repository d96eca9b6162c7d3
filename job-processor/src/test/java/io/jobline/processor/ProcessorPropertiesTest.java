package io.jobline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ProcessorPropertiesTest {

    @Test
    void theWorkerIdDefaultsToHostAndPid() {
        ProcessorProperties properties = new ProcessorProperties(" ", 8, Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(5), 1000, Duration.ofMinutes(10));
        assertThat(properties.workerId()).endsWith("-" + ProcessHandle.current().pid()).doesNotStartWith("-");
        assertThat(new ProcessorProperties(" w-1 ", 8, Duration.ZERO, Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(5), 1000, Duration.ofMinutes(10)).workerId()).isEqualTo("w-1");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new ProcessorProperties("w", 0, Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(5), 1000, Duration.ofMinutes(10)))
                .hasMessageContaining("max-concurrent-jobs");
        assertThatThrownBy(() -> new ProcessorProperties("w", 1, Duration.ofSeconds(-1), Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(5), 1000, Duration.ofMinutes(10)))
                .hasMessageContaining("shutdown-grace");
    }
}
