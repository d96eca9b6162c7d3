package io.jobline.api.security;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * API keys in the {@value #HEADER} header: a request without the header passes on (to bearer tokens, or to a 401);
 * one whose key is not in the {@link ApiKeys} table, is longer than {@value ApiKeys#MAX_KEY_LENGTH} characters,
 * comes twice or together with an {@code Authorization} header is answered 401 naming {@value #HEADER}.
 */
final class ApiKeyAuthentication {

    static final String HEADER = "X-API-Key";

    private ApiKeyAuthentication() {
    }

    /** The filter that authenticates API keys, answering failures through {@code entryPoint}. */
    static AuthenticationWebFilter filter(ApiKeys keys, ProblemAuthenticationEntryPoint entryPoint) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager(keys));
        filter.setServerAuthenticationConverter(converter());
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
        filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        return filter;
    }

    /** A key as the client sent it, not yet checked. */
    static final class PresentedKey extends AbstractAuthenticationToken {

        private final String key;

        PresentedKey(String key) {
            super(List.of());
            this.key = key;
        }

        @Override
        public Object getCredentials() {
            return key;
        }

        @Override
        public Object getPrincipal() {
            return null;
        }
    }

    /** Why an API key was refused; the message (about the header) goes into the problem body. */
    static final class Rejected extends AuthenticationException {
        Rejected(String message) {
            super(message);
        }
    }

    static ServerAuthenticationConverter converter() {
        return exchange -> {
            List<String> values = exchange.getRequest().getHeaders().get(HEADER);
            if (values == null || values.isEmpty()) {
                return Mono.empty();
            }
            return Mono.fromCallable(() -> new PresentedKey(check(values, exchange)));
        };
    }

    private static String check(List<String> values, ServerWebExchange exchange) {
        if (values.size() > 1) {
            throw new Rejected("is given more than once");
        }
        String key = values.get(0);
        if (key.isEmpty()) {
            throw new Rejected("is empty");
        }
        if (key.length() > ApiKeys.MAX_KEY_LENGTH) {
            throw new Rejected("must be at most " + ApiKeys.MAX_KEY_LENGTH + " characters");
        }
        if (exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
            throw new Rejected("must not come with an Authorization header: send one credential");
        }
        return key;
    }

    static ReactiveAuthenticationManager manager(ApiKeys keys) {
        return presented -> Mono.fromCallable(() -> keys.find((String) presented.getCredentials())
                .map(CallerAuthentication::new)
                .orElseThrow(() -> new Rejected("is not a valid API key")));
    }
}
