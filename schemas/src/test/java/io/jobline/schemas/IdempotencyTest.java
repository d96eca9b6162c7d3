package io.jobline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class IdempotencyTest {

    @Test
    void storeKeysSeparateOwnersAndKeys() {
        assertThat(Idempotency.storeKey("alice", "k1")).matches("[0-9a-f]{64}")
                .isEqualTo(Idempotency.storeKey("alice", "k1"))
                .isNotEqualTo(Idempotency.storeKey("bob", "k1"))
                .isNotEqualTo(Idempotency.storeKey("alice", "k2"));
        // the separator keeps "ab"+"c" and "a"+"bc" apart
        assertThat(Idempotency.storeKey("ab", "c")).isNotEqualTo(Idempotency.storeKey("a", "bc"));
    }

    @Test
    void fingerprintIgnoresParameterOrderButNotValues() {
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("a", "1");
        ordered.put("b", "2");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("b", "2");
        reversed.put("a", "1");

        assertThat(Idempotency.fingerprint("wordcount", ordered))
                .isEqualTo(Idempotency.fingerprint("wordcount", reversed))
                .isNotEqualTo(Idempotency.fingerprint("steps", ordered))
                .isNotEqualTo(Idempotency.fingerprint("wordcount", Map.of("a", "1", "b", "3")))
                .isNotEqualTo(Idempotency.fingerprint("wordcount", Map.of("a", "1")));
    }

    @Test
    void fingerprintCannotBeFooledByMovingTextBetweenFields() {
        assertThat(Idempotency.fingerprint("w", Map.of("ab", "c")))
                .isNotEqualTo(Idempotency.fingerprint("w", Map.of("a", "bc")));
        assertThat(Idempotency.fingerprint("w1", Map.of())).isNotEqualTo(Idempotency.fingerprint("w", Map.of("1", "")));
    }
}
