package io.jobline.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;

/**
 * The firewall's refusals, with the messages Spring Security's own firewall gives, become 400 problems naming what
 * was refused, without repeating the refused value.
 */
class RejectedRequestHandlerTest {

    private final StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();

    @Test
    void aHeaderValueWithAControlCharacterNamesTheHeader() {
        ServerWebExchange exchange = firewalled(MockServerHttpRequest.get("/jobs").header("Last-Event-ID", "1-2-3\u0085"));
        String message = rejection(() -> exchange.getRequest().getHeaders().getFirst("Last-Event-ID"));

        ApiProblemException problem = RejectedRequestHandler.problem(message);

        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.errors()).containsExactly(new FieldError("Last-Event-ID",
                "the value must not hold control characters or unassigned code points"));
        assertThat(problem.getMessage()).doesNotContain("\u0085");
    }

    @Test
    void aMethodOutsideTheAllowedOnesNamesTheMethod() {
        String message = rejection(() -> firewall.getFirewalledExchange(
                MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.valueOf("TRACE"), "/jobs"))).block());

        assertThat(RejectedRequestHandler.problem(message).errors()).extracting(FieldError::field)
                .containsExactly("method");
    }

    @Test
    void anEncodedSlashInThePathNamesThePath() {
        String message = rejection(() -> firewall.getFirewalledExchange(
                MockServerWebExchange.from(MockServerHttpRequest.get("/jobs/..%2Fetc"))).block());

        assertThat(RejectedRequestHandler.problem(message).errors()).extracting(FieldError::field)
                .containsExactly("path");
    }

    private ServerWebExchange firewalled(MockServerHttpRequest.BaseBuilder<?> request) {
        return firewall.getFirewalledExchange(MockServerWebExchange.from(request)).block();
    }

    private static String rejection(Runnable action) {
        ServerExchangeRejectedException rejected = catchThrowableOfType(ServerExchangeRejectedException.class,
                action::run);
        assertThat(rejected).as("the firewall refuses it").isNotNull();
        return rejected.getMessage();
    }
}
