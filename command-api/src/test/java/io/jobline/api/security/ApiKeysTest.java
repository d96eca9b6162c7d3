package io.jobline.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final String ZEROS = "0000000000000000000000000000000000000000000000000000000000000000";
    private static final String NOT_HEX = "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg";
    private static final String ALICE_HASH = ApiKeys.sha256Hex("alice-key");
    private static final String ADMIN_HASH = ApiKeys.sha256Hex("admin-key");

    @Test
    void aKeyStandsForItsOwnerAndRolesAndOnlyItsHashIsNeeded() {
        ApiKeys keys = ApiKeys.parse("""
                [{"owner":"alice","roles":["user"],"sha256":"%s"},
                 {"owner":"ops","roles":["admin","user"],"sha256":"%s"},
                 {"owner":"robot","sha256":"%s"}]""".formatted(ALICE_HASH, ADMIN_HASH.toUpperCase(),
                ApiKeys.sha256Hex("robot-key")));
        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.find("alice-key")).contains(new Caller("alice", Set.of("user")));
        assertThat(keys.find("admin-key")).hasValueSatisfying(caller -> assertThat(caller.isAdmin()).isTrue());
        assertThat(keys.find("robot-key")).hasValueSatisfying(caller -> assertThat(caller.roles()).isEmpty());
        assertThat(keys.find("Alice-key")).isEmpty();
        assertThat(keys.find(ALICE_HASH)).as("the hash itself is no key").isEmpty();
        assertThat(keys.owners()).containsExactly("alice", "ops", "robot");
    }

    @Test
    void theHashIsTheLowerCaseHexSha256OfTheKeysUtf8Bytes() {
        // printf %s 'jobline-dev-alice' | sha256sum
        assertThat(ApiKeys.sha256Hex("jobline-dev-alice"))
                .isEqualTo("933bfba09244ca126b9fcfa427bc5b5fc77b37a9a7d3474f12604f3ce2b24ca1");
    }

    @Test
    void noTableIsNoKeys() {
        assertThat(ApiKeys.parse("").size()).isZero();
        assertThat(ApiKeys.parse("  ").size()).isZero();
        assertThat(ApiKeys.parse("[]").find("anything")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[{\"owner\":\"a\",\"sha256\":\"" + ZEROS + "\"} | is not valid JSON",
            "{\"owner\":\"a\"}                                          | must be a JSON array",
            "[\"key\"]                                                  | entry 1 must be a JSON object",
            "[{\"owner\":\"a\",\"sha\":\"x\"}]                          | entry 1 has an unknown field \"sha\"",
            "[{\"roles\":[],\"sha256\":\"" + ZEROS + "\"}]    | entry 1: owner must be",
            "[{\"owner\":\"a b\",\"sha256\":\"" + ZEROS + "\"}] | entry 1: owner must be",
            "[{\"owner\":\"a\",\"sha256\":\"abc\"}]                     | entry 1 (owner a): sha256 must be",
            "[{\"owner\":\"a\",\"sha256\":\"" + NOT_HEX + "\"}] | entry 1 (owner a): sha256 must be",
            "[{\"owner\":\"a\",\"roles\":\"user\",\"sha256\":\"" + ZEROS + "\"}] | entry 1 (owner a): roles must be",
            "[{\"owner\":\"a\",\"roles\":[\"\"],\"sha256\":\"" + ZEROS + "\"}] | entry 1 (owner a): every role",
            "[{\"owner\":\"a\",\"sha256\":\"" + ZEROS + "\"},{\"owner\":\"b\",\"sha256\":\"" + ZEROS
                    + "\"}] | entry 2 (owner b) has the same sha256 as entry 1"
    })
    void aMalformedTableIsRefusedNamingTheEntry(String table, String message) {
        assertThatThrownBy(() -> ApiKeys.parse(table))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("jobline.security.api-keys (env JOBLINE_SECURITY_API_KEYS): ")
                .hasMessageContaining(message.strip());
    }

    @Test
    void theMessageOfBrokenJsonDoesNotQuoteTheTable() {
        assertThatThrownBy(() -> ApiKeys.parse("[{\"owner\":\"a\",\"sha256\":\"" + ALICE_HASH + "\""))
                .hasMessageNotContaining(ALICE_HASH);
    }
}
