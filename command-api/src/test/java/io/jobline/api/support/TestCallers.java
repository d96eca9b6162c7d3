package io.jobline.api.support;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.jobline.api.security.ApiKeys;

/**
 * The callers of the tests, each with its API key; {@link #register} configures them (as the SHA-256 table an
 * operator would write) and the internal key of the projection into a test's application.
 */
public final class TestCallers {

    /** The caller of every test that is not about who calls: owner {@code tester}, role user. */
    public static final String TESTER_KEY = "test-key-tester";
    public static final String ALICE_KEY = "test-key-alice";
    public static final String BOB_KEY = "test-key-bob";
    /** Owner {@code ops}, role admin. */
    public static final String ADMIN_KEY = "test-key-admin";
    /** Owner {@code nobody}, valid but without a role. */
    public static final String NO_ROLE_KEY = "test-key-norole";

    public static final String TESTER = "tester";
    public static final String ALICE = "alice";
    public static final String BOB = "bob";
    public static final String ADMIN = "ops";

    /** The key command-api sends to the projection; {@link FakeProjection} refuses requests without it. */
    public static final String INTERNAL_KEY = "test-internal-key-0123456789";

    private record Entry(String key, String owner, List<String> roles) {
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry(TESTER_KEY, TESTER, List.of("user")),
            new Entry(ALICE_KEY, ALICE, List.of("user")),
            new Entry(BOB_KEY, BOB, List.of("user")),
            new Entry(ADMIN_KEY, ADMIN, List.of("admin")),
            new Entry(NO_ROLE_KEY, "nobody", List.of()));

    private TestCallers() {
    }

    /** {@code jobline.security.api-keys} for all test callers. */
    public static String apiKeysJson() {
        return ENTRIES.stream()
                .map(entry -> "{\"owner\":\"" + entry.owner() + "\",\"roles\":["
                        + entry.roles().stream().map(role -> "\"" + role + "\"").collect(Collectors.joining(","))
                        + "],\"sha256\":\"" + ApiKeys.sha256Hex(entry.key()) + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    public static void register(DynamicPropertyRegistry registry) {
        registry.add("jobline.security.api-keys", TestCallers::apiKeysJson);
        registry.add("jobline.security.internal-key", () -> INTERNAL_KEY);
    }

    /** The same, as command-line arguments of another instance. */
    public static String[] arguments() {
        return new String[] {"--jobline.security.api-keys=" + apiKeysJson(),
                "--jobline.security.internal-key=" + INTERNAL_KEY};
    }
}
