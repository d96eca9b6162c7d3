package io.jobline.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JoblineSecurityPropertiesTest {

    private static final JoblineSecurityProperties.Jwt NO_JWT =
            new JoblineSecurityProperties.Jwt(null, null, null, "sub", "cognito:groups");

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aBlankInternalKeyIsRefused(String key) {
        assertThatThrownBy(() -> new JoblineSecurityProperties("", key, NO_JWT))
                .hasMessageContaining("jobline.security.internal-key")
                .hasMessageContaining("JOBLINE_SECURITY_INTERNAL_KEY");
        assertThatThrownBy(() -> new JoblineSecurityProperties("", null, NO_JWT))
                .hasMessageContaining("jobline.security.internal-key");
    }

    @Test
    void anInternalKeyMustBeSendableAsAHeader() {
        assertThatThrownBy(() -> new JoblineSecurityProperties("", "two words", NO_JWT))
                .hasMessageContaining("printable ASCII");
        assertThat(new JoblineSecurityProperties(null, "k3y!", NO_JWT).apiKeys()).isEmpty();
    }

    @Test
    void bearerTokensAreOnlyAcceptedWithAnIssuerOrAJwkSet() {
        assertThat(NO_JWT.enabled()).isFalse();
        assertThat(new JoblineSecurityProperties.Jwt(" ", "", null, "sub", "groups").enabled()).isFalse();
        assertThat(new JoblineSecurityProperties.Jwt("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x", null,
                null, "sub", "cognito:groups").enabled()).isTrue();
        assertThat(new JoblineSecurityProperties.Jwt(null, "https://issuer.example/jwks.json", null, "sub",
                "cognito:groups").enabled()).isTrue();
    }

    @Test
    void jwtUrlsAndClaimNamesAreChecked() {
        assertThatThrownBy(() -> new JoblineSecurityProperties.Jwt("cognito", null, null, "sub", "g"))
                .hasMessageContaining("jobline.security.jwt.issuer-uri");
        assertThatThrownBy(() -> new JoblineSecurityProperties.Jwt(null, "ftp://x/jwks", null, "sub", "g"))
                .hasMessageContaining("jobline.security.jwt.jwk-set-uri");
        assertThatThrownBy(() -> new JoblineSecurityProperties.Jwt(null, null, null, " ", "g"))
                .hasMessageContaining("owner-claim");
    }
}
