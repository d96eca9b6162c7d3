package io.jobline.api.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last line: errors that no controller advice handled (raised before a handler was chosen, in filters, or
 * while writing) are rendered as {@code application/problem+json} too, instead of Boot's default error JSON.
 * Ordered before Boot's {@code DefaultErrorWebExceptionHandler} (-2). Never writes a stack trace.
 */
@Component
@Order(-3)
public class ProblemWebExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemWebExceptionHandler.class);

    private final JsonMapper json;

    public ProblemWebExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        String path = exchange.getRequest().getPath().value();
        HttpHeaders extraHeaders = new HttpHeaders();
        ProblemDetail problem;
        if (error instanceof ApiProblemException apiProblem) {
            problem = Problems.of(apiProblem, path);
            Problems.retryAfter(extraHeaders, apiProblem.retryAfter());
        } else if (error instanceof ErrorResponse errorResponse) {
            problem = Problems.complete(errorResponse.getBody());
            extraHeaders.addAll(errorResponse.getHeaders());
            if (problem.getStatus() >= 500) {
                log.warn("{} {} -> {}", exchange.getRequest().getMethod(), path, problem.getStatus(), error);
            }
        } else {
            log.error("{} {} failed", exchange.getRequest().getMethod(), path, error);
            problem = Problems.complete(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                    "The request could not be processed."));
        }
        HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
        byte[] body = json.writeValueAsBytes(asMap(problem, status, path));
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        extraHeaders.forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                headers.put(name, values);
            }
        });
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(body.length);
        if (HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
            return response.setComplete();
        }
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    private static Map<String, Object> asMap(ProblemDetail problem, HttpStatusCode status, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problems.complete(problem).getType().toString());
        body.put("title", problem.getTitle() != null ? problem.getTitle() : Problems.title(status));
        body.put("status", status.value());
        if (problem.getDetail() != null) {
            body.put("detail", problem.getDetail());
        }
        body.put("instance", problem.getInstance() != null ? problem.getInstance().toString() : path);
        if (problem.getProperties() != null) {
            problem.getProperties().forEach(body::putIfAbsent);
        }
        return body;
    }
}
