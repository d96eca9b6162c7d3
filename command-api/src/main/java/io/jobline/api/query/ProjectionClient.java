package io.jobline.api.query;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import io.jobline.api.ApiProperties;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.view.JobLog;
import io.jobline.api.view.JobView;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client of the status-projection's internal query API ({@code jobline.api.projection-url}). Its answers map to
 * the public API like this: 200 passes through; 404 becomes a 404 problem; anything else (503 while its stores are
 * not queryable, other errors, a refused connection, a timeout, an unreadable body) becomes a 503 problem with
 * {@code Retry-After} (the projection's own value when it sent one). Never a 500.
 */
@Component
public class ProjectionClient {

    private static final Logger log = LoggerFactory.getLogger(ProjectionClient.class);

    private final WebClient client;
    private final ApiProperties properties;

    public ProjectionClient(ApiProperties properties, JsonMapper json) {
        this.properties = properties;
        int maxBytes = (int) properties.projectionMaxResponseSize().toBytes();
        JacksonJsonDecoder decoder = new JacksonJsonDecoder(json);
        decoder.setMaxInMemorySize(maxBytes);
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.projectionConnectTimeout().toMillis())
                .responseTimeout(properties.projectionTimeout());
        this.client = WebClient.builder()
                .baseUrl(properties.projectionUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> {
                    codecs.defaultCodecs().maxInMemorySize(maxBytes);
                    codecs.defaultCodecs().jacksonJsonDecoder(decoder);
                })
                .build();
    }

    /** The view of one job; {@code id} must be a lower-case UUID already. */
    public Mono<JobView> job(String id) {
        return client.get()
                .uri("/internal/jobs/{id}", id)
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> ofJob(id, response, JobView.class))
                .filter(view -> view.id() != null)
                .switchIfEmpty(Mono.error(() -> unavailable("the projection answered without a job", null)))
                .timeout(overallTimeout())
                .onErrorMap(error -> !(error instanceof ApiProblemException), error -> unavailable(null, error));
    }

    /** Log lines of one attempt of a job (routed and read-your-writes like {@link #job}). */
    public Mono<JobLog> logs(String id, LogQuery query) {
        return client.get()
                .uri(uri -> {
                    uri.path("/internal/jobs/{id}/logs");
                    if (query.attempt() != null) {
                        uri.queryParam("attempt", query.attempt());
                    }
                    if (query.tail() != null) {
                        uri.queryParam("tail", query.tail());
                    }
                    return uri.build(id);
                })
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> ofJob(id, response, JobLog.class))
                .filter(log -> log.jobId() != null && log.lines() != null)
                .switchIfEmpty(Mono.error(() -> unavailable("the projection answered without log lines", null)))
                .timeout(overallTimeout())
                .onErrorMap(error -> !(error instanceof ApiProblemException), error -> unavailable(null, error));
    }

    /** The body of an answer about job {@code id}: 404 is "no such job", other failures are 503s. */
    private <T> Mono<T> ofJob(String id, ClientResponse response, Class<T> type) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(type);
        }
        if (response.statusCode().value() == 404) {
            return response.releaseBody().then(Mono.error(ApiProblemException.notFound("No job " + id + ".")));
        }
        return failed(response);
    }

    /** One page of jobs, newest first. */
    public Mono<ProjectionPage> jobs(ListQuery query) {
        return client.get()
                .uri(uri -> {
                    uri.path("/internal/jobs").queryParam("limit", query.limit());
                    if (query.status() != null) {
                        uri.queryParam("status", query.status().name());
                    }
                    if (query.after() != null) {
                        uri.queryParam("after", query.after());
                    }
                    return uri.build();
                })
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(ProjectionPage.class)
                        : failed(response))
                .map(page -> page.items() == null ? new ProjectionPage(List.of(), false) : page)
                .filter(page -> page.items().stream().allMatch(view -> view != null && view.id() != null))
                .switchIfEmpty(Mono.error(() -> unavailable("the projection answered without a usable page", null)))
                .timeout(overallTimeout())
                .onErrorMap(error -> !(error instanceof ApiProblemException), error -> unavailable(null, error));
    }

    private <T> Mono<T> failed(ClientResponse response) {
        Duration retryAfter = retryAfter(response.headers().asHttpHeaders());
        String detail = "the projection answered " + response.statusCode().value();
        return response.releaseBody().then(Mono.error(ApiProblemException.unavailable(
                "Job views and logs are not available right now (" + detail + "). Retry later.", retryAfter, null)));
    }

    private ApiProblemException unavailable(String why, Throwable cause) {
        if (cause != null) {
            log.debug("projection call failed", cause);
        }
        String reason = why != null ? why : cause == null ? "unknown" : cause.getClass().getSimpleName();
        return ApiProblemException.unavailable("Job views and logs are not available right now (" + reason + "). Retry later.",
                properties.retryAfter(), cause);
    }

    private Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value != null) {
            try {
                long seconds = Long.parseLong(value.strip());
                if (seconds >= 1 && seconds <= 3600) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // an HTTP date or garbage: use our own default
            }
        }
        return properties.retryAfter();
    }

    private Duration overallTimeout() {
        return properties.projectionTimeout().plus(properties.projectionConnectTimeout());
    }
}
