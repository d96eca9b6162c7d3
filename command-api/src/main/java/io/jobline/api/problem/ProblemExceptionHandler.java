package io.jobline.api.problem;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Renders the API's own {@link ApiProblemException}s and, through {@link ResponseEntityExceptionHandler}, the
 * framework's (404 no route, 405, 406, 415, bad request values) as {@code application/problem+json}, each with its
 * {@link ProblemType}. Anything else becomes a bare 500 problem: the cause is logged, never sent.
 */
@RestControllerAdvice
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @ExceptionHandler(ApiProblemException.class)
    public Mono<ResponseEntity<ProblemDetail>> handleApiProblem(ApiProblemException problem, ServerWebExchange exchange) {
        if (problem.status().is5xxServerError()) {
            log.warn("{} {} -> {}: {}{}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    problem.status().value(), problem.getMessage(),
                    problem.getCause() == null ? "" : " (" + problem.getCause() + ")");
        }
        HttpHeaders headers = new HttpHeaders();
        Problems.retryAfter(headers, problem.retryAfter());
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return Mono.just(ResponseEntity.status(problem.status()).headers(headers)
                .body(Problems.of(problem, exchange.getRequest().getPath().value())));
    }

    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<ProblemDetail>> handleUnexpected(Exception error, ServerWebExchange exchange) {
        if (error instanceof ServerExchangeRejectedException) {
            // the firewall checks header values when they are first read, which may be here: its own handler answers
            return Mono.error(error);
        }
        log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        ProblemDetail detail = Problems.complete(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request could not be processed."));
        return Mono.just(ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(detail));
    }

    /** The framework's own problems (405, 406, 415, ...) get the type of their status and the header at fault. */
    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (body instanceof ProblemDetail problem) {
            Problems.complete(problem);
        }
        return super.createResponseEntity(body, headers, status, exchange);
    }
}
