package io.jobline.projection.security;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The answer to a request without the internal key, or with a wrong one: 401 and an RFC 9457 problem. */
final class UnauthenticatedProblem implements ServerAuthenticationEntryPoint {

    static final String TYPE = "https://jobline.io/problems/unauthenticated";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException reason) {
        boolean keyGiven = exchange.getRequest().getHeaders().containsHeader(InternalKey.HEADER);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE);
        problem.put("title", "Unauthenticated");
        problem.put("status", HttpStatus.UNAUTHORIZED.value());
        problem.put("detail", keyGiven ? "The " + InternalKey.HEADER + " header does not hold the internal key."
                : "This API answers internal callers only: send the internal key in the " + InternalKey.HEADER + " header.");
        problem.put("instance", exchange.getRequest().getPath().value());
        byte[] body = JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);

        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, InternalKey.HEADER);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
