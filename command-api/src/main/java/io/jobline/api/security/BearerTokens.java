package io.jobline.api.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;

import reactor.core.publisher.Mono;

/**
 * The decoder of JWT bearer tokens from {@code jobline.security.jwt.*}: signature checked with the issuer's keys
 * (its JWK set, found through OpenID discovery of {@code issuer-uri} or given as {@code jwk-set-uri}; fetched on
 * first use and cached, so start-up does not depend on the issuer), then {@code exp}/{@code nbf} (60 s of clock
 * skew), {@code iss} when an issuer is configured and the audience when one is. Without issuer and JWK set every
 * bearer token is refused.
 */
final class BearerTokens {

    /** Longer {@code Authorization} headers are refused before decoding (an Amazon Cognito token is 1 to 4 KB). */
    static final int MAX_AUTHORIZATION_LENGTH = 8192;

    private BearerTokens() {
    }

    /**
     * Reads the bearer token of the {@code Authorization} header like Spring's converter, after refusing a header that
     * comes more than once or is longer than {@value #MAX_AUTHORIZATION_LENGTH} characters (401, without decoding it).
     */
    static ServerAuthenticationConverter converter() {
        ServerBearerTokenAuthenticationConverter bearer = new ServerBearerTokenAuthenticationConverter();
        return exchange -> {
            List<String> values = exchange.getRequest().getHeaders().get(HttpHeaders.AUTHORIZATION);
            if (values != null && values.size() > 1) {
                return Mono.error(new OAuth2AuthenticationException(
                        BearerTokenErrors.invalidRequest("the Authorization header is given more than once")));
            }
            if (values != null && !values.isEmpty() && values.get(0).length() > MAX_AUTHORIZATION_LENGTH) {
                return Mono.error(new OAuth2AuthenticationException(BearerTokenErrors.invalidToken(
                        "the Authorization header must be at most " + MAX_AUTHORIZATION_LENGTH + " characters")));
            }
            return bearer.convert(exchange);
        };
    }

    static ReactiveJwtDecoder decoder(JoblineSecurityProperties.Jwt properties) {
        if (!properties.enabled()) {
            return token -> Mono.error(new BadJwtException(
                    "bearer tokens are not accepted here (no token issuer is configured): use an API key"));
        }
        NimbusReactiveJwtDecoder decoder = properties.jwkSetUri() != null
                ? NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build()
                : NimbusReactiveJwtDecoder.withIssuerLocation(properties.issuerUri()).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        if (properties.issuerUri() != null) {
            validators.add(new JwtIssuerValidator(properties.issuerUri()));
        }
        if (properties.audience() != null) {
            validators.add(audience(properties.audience()));
        }
        decoder.setJwtValidator(validators.isEmpty() ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithValidators(validators));
        // keys that cannot be fetched come as IllegalStateException, which Spring would let through as a 500: as a
        // JwtException (not a BadJwtException) it becomes an AuthenticationServiceException, answered with 503
        return token -> decoder.decode(token).onErrorMap(IllegalStateException.class,
                e -> new JwtException("the token issuer's keys are unavailable: " + e.getMessage(), e));
    }

    /**
     * Accepts a token whose {@code aud} names {@code audience}, or that has no {@code aud} and names it as its
     * {@code client_id} (Amazon Cognito's access tokens carry the app client there).
     */
    static OAuth2TokenValidator<Jwt> audience(String audience) {
        OAuth2Error wrongAudience = new OAuth2Error("invalid_token", "the token is not meant for this audience", null);
        return jwt -> {
            Object aud = jwt.getClaims().get("aud");
            boolean ok;
            if (aud == null) {
                ok = audience.equals(jwt.getClaims().get("client_id"));
            } else if (aud instanceof Collection<?> audiences) {
                ok = audiences.contains(audience);
            } else {
                ok = audience.equals(aud);
            }
            return ok ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(wrongAudience);
        };
    }
}
