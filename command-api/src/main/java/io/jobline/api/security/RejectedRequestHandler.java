package io.jobline.api.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.ProblemWebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Requests Spring Security's firewall refuses before anything else sees them answer 400 ({@code invalid-request})
 * like any other invalid request, naming what was refused as {@code field}: {@code path} for an encoded {@code .}
 * or {@code /}, a {@code ;}, {@code //}, {@code ..} or a non-printable character in the path; the header or query
 * parameter by its name for control characters in its name or value; {@code method} for a method other than
 * GET, HEAD, POST, PUT, DELETE, PATCH and OPTIONS; {@code Host} for an untrusted host. The refused value itself is
 * not repeated in the answer.
 */
@Component
public class RejectedRequestHandler implements ServerExchangeRejectedHandler {

    /** The firewall's messages name a header or parameter as {@code header: "X-Name "} or {@code header name "X"}. */
    private static final Pattern NAMED = Pattern.compile("because the (header|parameter)( name)?:? \"([^\"]{0,200}?) ?\"");
    private static final int MAX_FIELD_LENGTH = 80;

    private final ProblemWebExceptionHandler problems;

    public RejectedRequestHandler(ProblemWebExceptionHandler problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        return problems.handle(exchange, problem(rejected.getMessage() == null ? "" : rejected.getMessage()));
    }

    static ApiProblemException problem(String message) {
        Matcher named = NAMED.matcher(message);
        if (named.find()) {
            String kind = named.group(1);
            String field = printable(named.group(3));
            return ApiProblemException.invalid(field.isEmpty() ? kind + "s" : field, named.group(2) != null
                    ? "the " + kind + " name must hold only printable characters"
                    : "the value must not hold control characters or unassigned code points");
        }
        if (message.contains("HTTP method")) {
            return ApiProblemException.invalid("method", "must be one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
        }
        if (message.contains("domain")) {
            return ApiProblemException.invalid(HttpHeaders.HOST, "is not a host this service answers for");
        }
        return ApiProblemException.invalid("path", message.isEmpty() ? "is not acceptable" : shorten(message));
    }

    /** A name as it may appear in an answer: printable ASCII, bounded. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.strip().toCharArray()) {
            if (out.length() == MAX_FIELD_LENGTH) {
                break;
            }
            out.append(c > 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    private static String shorten(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }
}
