package io.jobline.api.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

import io.jobline.api.ApiProperties;
import io.jobline.api.bounds.HeaderBounds;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.ProblemWebExceptionHandler;

/**
 * Who may call what. Health, info and the API documentation are open; everything else needs an API key
 * ({@code X-API-Key}) or a JWT bearer token, and the role {@value Caller#USER} or {@value Caller#ADMIN}. Stateless:
 * no session, no CSRF token (no cookies are used), no login forms, no HTTP Basic. Before any of that, the firewall
 * ({@link RejectedRequestHandler}) and the {@link HeaderBounds} refuse malformed requests with 400.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfig {

    /** Open to anyone: the load balancer's checks and the API documentation. */
    static final String[] PUBLIC_PATHS = {
            "/actuator/health", "/actuator/health/**", "/actuator/info",
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**"
    };

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    public ApiKeys apiKeys(JoblineSecurityProperties properties) {
        ApiKeys keys = ApiKeys.parse(properties.apiKeys());
        if (keys.size() == 0 && !properties.jwt().enabled()) {
            log.warn("No API keys (jobline.security.api-keys) and no token issuer (jobline.security.jwt.issuer-uri "
                    + "or jwk-set-uri) are configured: every request but health and docs is refused");
        } else {
            log.info("Accepting {} API keys (owners {}) and {}", keys.size(), keys.owners(), properties.jwt().enabled()
                    ? "bearer tokens of " + (properties.jwt().issuerUri() != null ? properties.jwt().issuerUri()
                            : properties.jwt().jwkSetUri())
                    : "no bearer tokens");
        }
        return keys;
    }

    /**
     * No Micrometer observation per security filter, authentication and authorization: they repeat, a dozen times per
     * request, what the HTTP server's own observation of each request (which stays) already records.
     */
    @Bean
    public SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Always a bean, so that Boot configures no user store of its own (with a generated password). */
    @Bean
    public ReactiveJwtDecoder jwtDecoder(JoblineSecurityProperties properties) {
        return BearerTokens.decoder(properties.jwt());
    }

    @Bean
    public SecurityWebFilterChain securityFilterChain(ServerHttpSecurity http, ApiKeys apiKeys,
            ReactiveJwtDecoder jwtDecoder, JoblineSecurityProperties properties,
            ProblemAuthenticationEntryPoint entryPoint, ProblemAccessDeniedHandler accessDenied,
            ProblemWebExceptionHandler problems, ApiProperties api) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(PUBLIC_PATHS).permitAll()
                        .anyExchange().hasAnyRole(Caller.USER, Caller.ADMIN))
                .addFilterAt(new HeaderBounds(problems), SecurityWebFiltersOrder.FIRST)
                .addFilterAt(ApiKeyAuthentication.filter(apiKeys, entryPoint), SecurityWebFiltersOrder.AUTHENTICATION)
                .oauth2ResourceServer(server -> server
                        .bearerTokenConverter(BearerTokens.converter())
                        .jwt(jwt -> jwt.jwtDecoder(jwtDecoder)
                                .jwtAuthenticationConverter(new JwtCallerConverter(properties.jwt())))
                        .authenticationEntryPoint(entryPoint)
                        .authenticationFailureHandler(bearerFailures(entryPoint, problems, api))
                        .accessDeniedHandler(accessDenied))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .build();
    }

    /**
     * A token that cannot be checked because the issuer's keys cannot be fetched is a 503 (retry later), not a
     * 401 (the token may well be good), nor a 500.
     */
    private static ServerAuthenticationFailureHandler bearerFailures(ProblemAuthenticationEntryPoint entryPoint,
            ProblemWebExceptionHandler problems, ApiProperties api) {
        return (filterExchange, failure) -> {
            if (failure instanceof AuthenticationServiceException) {
                log.warn("cannot check a bearer token: {}", rootCause(failure));
                return problems.handle(filterExchange.getExchange(), ApiProblemException.unavailable(
                        "Bearer tokens cannot be checked right now (the token issuer's keys are unavailable). "
                                + "Retry later.", api.retryAfter(), failure));
            }
            return entryPoint.commence(filterExchange.getExchange(), failure);
        };
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
