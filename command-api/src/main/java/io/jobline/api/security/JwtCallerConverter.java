package io.jobline.api.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import reactor.core.publisher.Mono;

/**
 * The {@link Caller} of a valid JWT: the owner from {@code jobline.security.jwt.owner-claim}, the roles from
 * {@code jobline.security.jwt.roles-claim} (a list of strings, as Cognito's {@code cognito:groups}, or one string of
 * names separated by spaces or commas). A token without a usable owner is refused (401).
 */
final class JwtCallerConverter implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

    private final String ownerClaim;
    private final String rolesClaim;

    JwtCallerConverter(JoblineSecurityProperties.Jwt properties) {
        this.ownerClaim = properties.ownerClaim();
        this.rolesClaim = properties.rolesClaim();
    }

    @Override
    public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
        return Mono.fromCallable(() -> new CallerAuthentication(new Caller(owner(jwt), roles(jwt))));
    }

    private String owner(Jwt jwt) {
        Object value = jwt.getClaims().get(ownerClaim);
        if (!(value instanceof String owner) || !Owners.isValid(owner)) {
            throw new BadJwtException("the claim " + ownerClaim + " must hold the owner: " + Owners.rule());
        }
        return owner;
    }

    private Set<String> roles(Jwt jwt) {
        Object value = jwt.getClaims().get(rolesClaim);
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof Collection<?> names) {
            for (Object name : names) {
                if (name instanceof String role && !role.isBlank()) {
                    roles.add(role.strip());
                }
            }
        } else if (value instanceof String names) {
            for (String role : names.split("[\\s,]+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }
}
