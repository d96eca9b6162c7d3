package io.jobline.api.problem;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Treats an {@code Accept} header that cannot be parsed as absent (RFC 9110 lets a server disregard it). Without
 * this, WebFlux answers such a request with a 406 whose problem body it then refuses to write (it cannot negotiate
 * a type for it either), i.e. an error without a body.
 */
@Component
public class LenientAcceptFilter implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var accept = exchange.getRequest().getHeaders().get(HttpHeaders.ACCEPT);
        if (accept == null || accept.isEmpty() || parses(accept)) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate()
                .request(request -> request.headers(headers -> headers.remove(HttpHeaders.ACCEPT)))
                .build());
    }

    private static boolean parses(java.util.List<String> values) {
        try {
            MediaType.parseMediaTypes(values);
            return true;
        } catch (IllegalArgumentException e) { // InvalidMediaTypeException and friends
            return false;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
