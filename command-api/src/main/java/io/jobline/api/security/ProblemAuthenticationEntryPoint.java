package io.jobline.api.security;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;
import io.jobline.api.problem.ProblemWebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Every 401 of the API: an {@code application/problem+json} body of type {@code .../unauthenticated} naming the
 * header at fault ({@code X-API-Key} or {@code Authorization}; both when no credentials came), and
 * {@code WWW-Authenticate} challenges for the schemes that would have been accepted.
 */
@Component
public class ProblemAuthenticationEntryPoint implements ServerAuthenticationEntryPoint {

    static final String REALM = "jobline";

    private final ProblemWebExceptionHandler problems;

    public ProblemAuthenticationEntryPoint(ProblemWebExceptionHandler problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        ApiProblemException problem;
        if (failure instanceof ApiKeyAuthentication.Rejected) {
            headers.add(HttpHeaders.WWW_AUTHENTICATE, apiKeyChallenge() + ", error=\"invalid_key\"");
            problem = ApiProblemException.unauthenticated(ApiKeyAuthentication.HEADER, failure.getMessage());
        } else if (failure instanceof OAuth2AuthenticationException oauth) {
            String description = oauth.getError().getDescription() != null ? oauth.getError().getDescription()
                    : oauth.getError().getErrorCode();
            headers.add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\", error=\""
                    + quotable(oauth.getError().getErrorCode()) + "\", error_description=\"" + quotable(description) + "\"");
            problem = ApiProblemException.unauthenticated(HttpHeaders.AUTHORIZATION,
                    "is not an accepted bearer token: " + shorten(description));
        } else {
            headers.add(HttpHeaders.WWW_AUTHENTICATE, apiKeyChallenge());
            headers.add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"");
            problem = missing();
        }
        return problems.handle(exchange, problem);
    }

    private static ApiProblemException missing() {
        String detail = "Authentication required: send an API key in the " + ApiKeyAuthentication.HEADER
                + " header or a bearer token in the Authorization header.";
        return ApiProblemException.unauthenticated(List.of(
                new FieldError(ApiKeyAuthentication.HEADER, "is missing"),
                new FieldError(HttpHeaders.AUTHORIZATION, "is missing")), detail);
    }

    private static String apiKeyChallenge() {
        return "ApiKey realm=\"" + REALM + "\", header=\"" + ApiKeyAuthentication.HEADER + "\"";
    }

    /** Text fit for a quoted-string of a challenge: printable ASCII without quotes and backslashes. */
    private static String quotable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : shorten(text).toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return out.toString();
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
