package io.jobline.projection.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The shared key of internal callers: a request carrying it in {@value #HEADER} is the internal caller. The
 * key given is compared with the configured one in constant time (both hashed first, so that not even the
 * length of the key shows in the time a wrong guess takes).
 */
public final class InternalKey implements ReactiveAuthenticationManager {

    public static final String HEADER = "X-Jobline-Internal-Key";

    /** The principal name of an authenticated internal call. */
    static final String CALLER = "internal-caller";

    private final byte[] expectedDigest;

    public InternalKey(String key) {
        this.expectedDigest = sha256(key);
    }

    /** Whether {@code given} is the key. */
    public boolean matches(String given) {
        return given != null && MessageDigest.isEqual(expectedDigest, sha256(given));
    }

    /** The key a request carries, as an authentication still to check; empty when it carries none. */
    static Mono<Authentication> credentials(ServerWebExchange exchange) {
        String given = exchange.getRequest().getHeaders().getFirst(HEADER);
        return given == null ? Mono.empty() : Mono.just(new PreAuthenticatedAuthenticationToken(CALLER, given));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        return Mono.fromCallable(() -> {
            if (!(authentication.getCredentials() instanceof String given) || !matches(given)) {
                throw new BadCredentialsException(HEADER + " does not hold the internal key");
            }
            return new PreAuthenticatedAuthenticationToken(CALLER, null, List.of(new SimpleGrantedAuthority("ROLE_INTERNAL")));
        });
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
