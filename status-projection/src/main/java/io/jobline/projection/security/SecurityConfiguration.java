package io.jobline.projection.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Every endpoint but the health probes and the info endpoint needs the internal key in
 * {@value InternalKey#HEADER}; anything else is a 401 problem. Stateless: no session, no CSRF (no browser
 * and no cookies), no basic or form login.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(InternalKeyProperties.class)
public class SecurityConfiguration {

    /** Open to anyone: orchestrators and load balancers probe these without a key. */
    static final String[] PUBLIC_PATHS = {"/actuator/health/**", "/actuator/info"};

    /** Also keeps Boot from setting up a user with a generated password. */
    /**
     * No Micrometer observation per security filter, authentication and authorization: they repeat, a dozen times per
     * request, what the HTTP server's own observation of each request (which stays) already records.
     */
    @Bean
    public SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    InternalKey internalKey(InternalKeyProperties properties) {
        return new InternalKey(properties.internalKey());
    }

    @Bean
    SecurityWebFilterChain internalKeySecurity(ServerHttpSecurity http, InternalKey internalKey) {
        UnauthenticatedProblem unauthenticated = new UnauthenticatedProblem();
        ServerWebExchangeMatcher publicPaths = ServerWebExchangeMatchers.pathMatchers(PUBLIC_PATHS);

        AuthenticationWebFilter keyFilter = new AuthenticationWebFilter(internalKey);
        keyFilter.setServerAuthenticationConverter(InternalKey::credentials);
        keyFilter.setRequiresAuthenticationMatcher(new NegatedServerWebExchangeMatcher(publicPaths));
        keyFilter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(unauthenticated));
        keyFilter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthenticated))
                .addFilterAt(keyFilter, SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(exchanges -> exchanges
                        .matchers(publicPaths).permitAll()
                        .anyExchange().authenticated())
                .build();
    }
}
