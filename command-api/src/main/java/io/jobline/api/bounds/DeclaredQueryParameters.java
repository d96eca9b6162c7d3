package io.jobline.api.bounds;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.MethodParameter;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.problem.ApiProblemException;

/**
 * A request to one of the API's endpoints may carry only the query parameters its handler declares with
 * {@link RequestParam}, each at most once: anything else is a 400 naming the parameter, like an unknown field of a
 * body (a misspelt filter must not silently list everything). Runs before the handler, so a refused request has
 * no effect at all (it does not take a token of the rate limit either).
 */
@RestControllerAdvice(basePackages = "io.jobline.api")
public class DeclaredQueryParameters {

    private static final int MAX_NAME_SHOWN = 80;

    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    @ModelAttribute
    public void onlyDeclaredQueryParameters(ServerWebExchange exchange) {
        Object handler = exchange.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE);
        if (!(handler instanceof HandlerMethod method)) {
            return;
        }
        Set<String> allowed = declared.computeIfAbsent(method.getMethod(), key -> names(method));
        MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (!allowed.contains(name)) {
                throw ApiProblemException.invalid(shorten(name), allowed.isEmpty()
                        ? "is not a query parameter of this endpoint (it takes none)"
                        : "is not a query parameter of this endpoint (known: " + String.join(", ", allowed) + ")");
            }
            if (parameter.getValue().size() > 1) {
                throw ApiProblemException.invalid(name, "must be given once");
            }
        }
    }

    /** The query parameters {@code method} declares, in declaration order. */
    static Set<String> names(HandlerMethod method) {
        Set<String> names = new LinkedHashSet<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                names.add(param.name().isEmpty() ? param.value() : param.name());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    private static String shorten(String name) {
        return name.length() <= MAX_NAME_SHOWN ? name : name.substring(0, MAX_NAME_SHOWN) + "...";
    }
}
