package io.jobline.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names and fingerprints of idempotent submissions, shared by the API that writes them, the projection that
 * remembers them and the processor that runs only the first of them.
 */
public final class Idempotency {

    /** How long a key keeps pointing at its job. */
    public static final Duration WINDOW = Duration.ofHours(24);

    private Idempotency() {
    }

    /**
     * The key under which an owner's Idempotency-Key is kept: hex SHA-256 of owner, a NUL and the key, so keys of
     * different owners never meet and the stored key gives away neither.
     */
    public static String storeKey(String owner, String idempotencyKey) {
        return sha256Hex(owner + '\0' + idempotencyKey);
    }

    /**
     * Hex SHA-256 of a canonical form of a submission: the workflow and the parameters sorted by name, each string
     * prefixed by its length so that no two different requests share a form.
     */
    public static String fingerprint(String workflow, Map<String, String> parameters) {
        StringBuilder canonical = new StringBuilder();
        append(canonical, workflow);
        for (Map.Entry<String, String> parameter : new TreeMap<>(parameters).entrySet()) {
            append(canonical, parameter.getKey());
            append(canonical, parameter.getValue());
        }
        return sha256Hex(canonical.toString());
    }

    private static void append(StringBuilder canonical, String value) {
        canonical.append(value.length()).append(':').append(value);
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
