package io.jobline.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The callers of the system tests: two owners and an admin, each with an API key made for this run. The services get
 * only the keys' hashes, as they would in production.
 */
enum TestCallers {
    ALICE("alice", "user"),
    BOB("bob", "user"),
    ADMIN("ops", "admin");

    /** The key command-api presents to the projection in this run. */
    static final String INTERNAL_KEY = "internal-" + UUID.randomUUID();

    private final String owner;
    private final String role;
    private final String apiKey = "jl_test_" + UUID.randomUUID().toString().replace("-", "");

    TestCallers(String owner, String role) {
        this.owner = owner;
        this.role = role;
    }

    String owner() {
        return owner;
    }

    String apiKey() {
        return apiKey;
    }

    /** The API keys table (JSON, hashes only) that command-api reads from {@code jobline.security.api-keys}. */
    static String apiKeysTable() {
        return List.of(values()).stream()
                .map(caller -> "{\"owner\":\"" + caller.owner + "\",\"roles\":[\"" + caller.role
                        + "\"],\"sha256\":\"" + sha256(caller.apiKey) + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
