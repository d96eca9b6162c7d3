package io.jobline.api.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.jobline.api.support.SeparateInstance;
import io.jobline.api.support.TestCallers;

/** The service refuses to start with a security configuration it cannot honour, saying what is wrong. */
class SecurityStartupIT {

    @Test
    void aMalformedApiKeyTableStopsStartUpNamingTheEntry() {
        String table = "[{\"owner\":\"alice\",\"roles\":[\"user\"],\"sha256\":\"" + ApiKeys.sha256Hex("a") + "\"},"
                + "{\"owner\":\"bob\",\"roles\":[\"user\"],\"sha256\":\"not-a-hash\"}]";
        assertThatThrownBy(() -> start("--jobline.security.api-keys=" + table,
                "--jobline.security.internal-key=" + TestCallers.INTERNAL_KEY))
                .hasStackTraceContaining("jobline.security.api-keys")
                .hasStackTraceContaining("entry 2 (owner bob): sha256 must be");
    }

    @Test
    void aMissingInternalKeyStopsStartUp() {
        assertThatThrownBy(() -> start("--jobline.security.api-keys=" + TestCallers.apiKeysJson()))
                .hasStackTraceContaining("jobline.security.internal-key (env JOBLINE_SECURITY_INTERNAL_KEY) must be set");
    }

    private static void start(String... arguments) {
        SeparateInstance.startAlone(arguments).close();
    }
}
