package io.jobline.api.security;

import java.net.URI;
import java.net.URISyntaxException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API, {@code jobline.security.*}.
 *
 * @param apiKeys     the API key table as JSON (the content of a secret, env {@code JOBLINE_SECURITY_API_KEYS}):
 *                    {@code [{"owner":"alice","roles":["user"],"sha256":"<hex SHA-256 of the key>"}]}; see
 *                    {@link ApiKeys}. Empty: no API key is accepted
 * @param internalKey the key sent to the status-projection in {@code X-Jobline-Internal-Key} (env
 *                    {@code JOBLINE_SECURITY_INTERNAL_KEY}); required
 * @param jwt         bearer tokens; none are accepted unless an issuer or a JWK set is configured
 */
@ConfigurationProperties("jobline.security")
public record JoblineSecurityProperties(
        @DefaultValue("") String apiKeys,
        String internalKey,
        @DefaultValue Jwt jwt) {

    public JoblineSecurityProperties {
        apiKeys = apiKeys == null ? "" : apiKeys;
        if (internalKey == null || internalKey.isBlank()) {
            throw new IllegalArgumentException("jobline.security.internal-key (env JOBLINE_SECURITY_INTERNAL_KEY) "
                    + "must be set: it is the key the status-projection's internal API requires");
        }
        if (!internalKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("jobline.security.internal-key must be printable ASCII without spaces "
                    + "(it is sent as an HTTP header)");
        }
    }

    /**
     * JWT bearer tokens (an OpenID Connect issuer such as an Amazon Cognito user pool).
     *
     * @param issuerUri  the issuer ({@code iss} of accepted tokens, env {@code JOBLINE_SECURITY_JWT_ISSUER_URI}); its
     *                   keys are found through its OpenID discovery document unless {@code jwkSetUri} is set
     * @param jwkSetUri  where the signing keys are; alone (without {@code issuerUri}) no issuer is checked
     * @param audience   when set (env {@code JOBLINE_SECURITY_JWT_AUDIENCE}), tokens must name it in {@code aud} or,
     *                   having no {@code aud} (Cognito access tokens), in {@code client_id}
     * @param ownerClaim the claim holding the owner
     * @param rolesClaim the claim holding the roles: a list of strings, or one string of names separated by spaces
     *                   or commas
     */
    public record Jwt(
            String issuerUri,
            String jwkSetUri,
            String audience,
            @DefaultValue("sub") String ownerClaim,
            @DefaultValue("cognito:groups") String rolesClaim) {

        public Jwt {
            issuerUri = blankToNull(issuerUri);
            jwkSetUri = blankToNull(jwkSetUri);
            audience = blankToNull(audience);
            requireUri("issuer-uri", issuerUri);
            requireUri("jwk-set-uri", jwkSetUri);
            if (ownerClaim == null || ownerClaim.isBlank()) {
                throw new IllegalArgumentException("jobline.security.jwt.owner-claim must not be blank");
            }
            if (rolesClaim == null || rolesClaim.isBlank()) {
                throw new IllegalArgumentException("jobline.security.jwt.roles-claim must not be blank");
            }
        }

        /** Whether bearer tokens are accepted at all. */
        public boolean enabled() {
            return issuerUri != null || jwkSetUri != null;
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        private static void requireUri(String name, String value) {
            if (value == null) {
                return;
            }
            try {
                URI uri = new URI(value);
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(value, "not an http(s) URL");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("jobline.security.jwt." + name + " is not an http(s) URL: " + value);
            }
        }
    }
}
