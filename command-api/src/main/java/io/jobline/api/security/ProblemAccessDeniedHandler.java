package io.jobline.api.security;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.ProblemWebExceptionHandler;
import reactor.core.publisher.Mono;

/** Every 403 of the API: a problem of type {@code .../forbidden}. */
@Component
public class ProblemAccessDeniedHandler implements ServerAccessDeniedHandler {

    private final ProblemWebExceptionHandler problems;

    public ProblemAccessDeniedHandler(ProblemWebExceptionHandler problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return problems.handle(exchange, ApiProblemException.forbidden("The credentials are valid but grant no "
                + "access to jobs: the caller needs the role " + Caller.USER + " or " + Caller.ADMIN + "."));
    }
}
