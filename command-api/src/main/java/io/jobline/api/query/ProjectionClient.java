package io.jobline.api.query;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;

import io.jobline.api.ApiProperties;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.security.JoblineSecurityProperties;
import io.jobline.api.view.JobLog;
import io.jobline.api.view.JobView;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client of the status-projection's internal query API ({@code jobline.api.projection-url}). Its answers map to
 * the public API like this: 200 passes through; 404 becomes a 404 problem; anything else (503 while its stores are
 * not queryable, other errors, a refused connection, a timeout, an unreadable body) becomes a 503 problem with
 * {@code Retry-After} (the projection's own value when it sent one). Never a 500.
 *
 * <p>A long-poll holds no thread: it is an HTTP request to the projection that is answered late, on a connection of
 * its own pool ({@link ProjectionPoolProperties}), with a response timeout of the wait plus the usual
 * {@code projection-timeout}.
 *
 * <p>Every request carries {@value #INTERNAL_KEY_HEADER} ({@code jobline.security.internal-key}): the projection
 * answers nothing without it.
 */
@Component
public class ProjectionClient implements DisposableBean {

    /** Response header of a long-poll: whether the wait was {@code satisfied} or ran into its {@code timeout}. */
    public static final String WAIT_HEADER = "Jobline-Wait";
    /** Request header with the key of the projection's internal API. */
    public static final String INTERNAL_KEY_HEADER = "X-Jobline-Internal-Key";
    /** The longest wait the projection grants on {@code /internal/idempotency/{storeKey}}. */
    public static final Duration MAX_IDEMPOTENCY_WAIT = Duration.ofSeconds(10);
    private static final Set<String> WAIT_OUTCOMES = Set.of("satisfied", "timeout");

    private static final Logger log = LoggerFactory.getLogger(ProjectionClient.class);

    private final WebClient client;
    private final ConnectionProvider connections;
    private final ApiProperties properties;

    public ProjectionClient(ApiProperties properties, ProjectionPoolProperties pool, JoblineSecurityProperties security,
            JsonMapper json) {
        this.properties = properties;
        int maxBytes = (int) properties.projectionMaxResponseSize().toBytes();
        JacksonJsonDecoder decoder = new JacksonJsonDecoder(json);
        decoder.setMaxInMemorySize(maxBytes);
        this.connections = ConnectionProvider.builder("projection")
                .maxConnections(pool.maxConnections())
                .pendingAcquireTimeout(pool.pendingAcquireTimeout())
                .build();
        HttpClient http = HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.projectionConnectTimeout().toMillis())
                .responseTimeout(properties.projectionTimeout());
        this.client = WebClient.builder()
                .baseUrl(properties.projectionUrl().toString())
                .defaultHeader(INTERNAL_KEY_HEADER, security.internalKey())
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> {
                    codecs.defaultCodecs().maxInMemorySize(maxBytes);
                    codecs.defaultCodecs().jacksonJsonDecoder(decoder);
                })
                .build();
    }

    @Override
    public void destroy() {
        connections.dispose();
    }

    /** A job's view, and for a long-poll whether the wait was {@code satisfied} or ran into its {@code timeout} (else null). */
    public record Answer(JobView view, String waitOutcome) {
    }

    /** The view of one job; {@code id} must be a lower-case UUID already. */
    public Mono<JobView> job(String id) {
        return job(id, null).map(Answer::view);
    }

    /**
     * The view of one job, at once when {@code wait} is null, else once the projection's long-poll answers: when the
     * job reached {@link WaitQuery#waitFor()}, or with the current view when {@link WaitQuery#timeout()} passed.
     */
    public Mono<Answer> job(String id, WaitQuery wait) {
        Duration timeout = wait == null ? properties.projectionTimeout() : properties.projectionTimeout().plus(wait.timeout());
        return client.get()
                .uri(uri -> {
                    uri.path("/internal/jobs/{id}");
                    if (wait != null) {
                        uri.queryParam("waitFor", wait.waitFor()).queryParam("timeout", wait.timeout().toString());
                        if (wait.version() != null) {
                            uri.queryParam("version", wait.version());
                        }
                    }
                    return uri.build(id);
                })
                .accept(MediaType.APPLICATION_JSON)
                .httpRequest(request -> ((HttpClientRequest) request.getNativeRequest()).responseTimeout(timeout))
                .exchangeToMono(response -> ofJob(id, response, JobView.class)
                        .map(view -> new Answer(view, wait == null ? null : waitOutcome(response))))
                .filter(answer -> answer.view().id() != null)
                .switchIfEmpty(Mono.error(() -> unavailable("the projection answered without a job", null)))
                .timeout(timeout.plus(properties.projectionConnectTimeout()))
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

    /**
     * Every command and event of a job, as the projection's JSON, unchanged: {@code {"jobId", "entries": [...],
     * "hasMore"}} (routed and read-your-writes like {@link #job}).
     */
    public Mono<JsonNode> history(String id, HistoryQuery query) {
        return client.get()
                .uri(uri -> {
                    uri.path("/internal/jobs/{id}/history");
                    if (query.after() != null) {
                        uri.queryParam("after", query.after());
                    }
                    if (query.limit() != null) {
                        uri.queryParam("limit", query.limit());
                    }
                    return uri.build(id);
                })
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> ofJob(id, response, JsonNode.class))
                .filter(history -> isHistoryOf(id, history))
                .switchIfEmpty(Mono.error(() -> unavailable("the projection answered without a usable history", null)))
                .timeout(overallTimeout())
                .onErrorMap(error -> !(error instanceof ApiProblemException), error -> unavailable(null, error));
    }

    private static boolean isHistoryOf(String id, JsonNode history) {
        if (!history.isObject() || !history.path("hasMore").isBoolean()
                || !id.equals(history.path("jobId").stringValue(null))) {
            return false;
        }
        JsonNode entries = history.path("entries");
        return entries.isArray() && entries.values().stream().allMatch(JsonNode::isObject);
    }

    /**
     * One page of jobs, newest first, with the number of jobs matching the filters; only {@code owner}'s jobs when it
     * is not null.
     */
    public Mono<ProjectionPage> jobs(ListQuery query, String owner) {
        return client.get()
                .uri(uri -> listing(uri, query, owner))
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(ProjectionPage.class)
                        : failed(response))
                .filter(page -> page.items() != null && page.total() != null
                        && page.items().stream().allMatch(view -> view != null && view.id() != null))
                .switchIfEmpty(Mono.error(() -> unavailable("the projection answered without a usable page", null)))
                .timeout(overallTimeout())
                .onErrorMap(error -> !(error instanceof ApiProblemException), error -> unavailable(null, error));
    }

    private static URI listing(UriBuilder uri, ListQuery query, String owner) {
        ListFilters filters = query.filters();
        Map<String, Object> variables = new HashMap<>();
        uri.path("/internal/jobs").queryParam("limit", query.limit());
        if (owner != null) {
            // template variables, so that values are encoded whole ('+', '&', '=' and all)
            uri.queryParam("owner", "{owner}");
            variables.put("owner", owner);
        }
        if (filters.status() != null) {
            uri.queryParam("status", filters.status().name());
        }
        if (filters.workflow() != null) {
            uri.queryParam("workflow", "{workflow}");
            variables.put("workflow", filters.workflow());
        }
        if (filters.submittedAfter() != null) {
            uri.queryParam("submittedAfter", filters.submittedAfter().toString());
        }
        if (filters.submittedBefore() != null) {
            uri.queryParam("submittedBefore", filters.submittedBefore().toString());
        }
        if (query.after() != null) {
            uri.queryParam("after", query.after());
        }
        return uri.build(variables);
    }

    /**
     * The submission an owner's Idempotency-Key stands for ({@code storeKey}, see
     * {@link io.jobline.schemas.Idempotency#storeKey}), waiting up to {@code wait} (at most
     * {@link #MAX_IDEMPOTENCY_WAIT}) for it to appear; empty when there is none (yet).
     */
    public Mono<Optional<IdempotencyEntry>> idempotency(String storeKey, Duration wait) {
        Duration waitFor = wait.compareTo(MAX_IDEMPOTENCY_WAIT) > 0 ? MAX_IDEMPOTENCY_WAIT : wait;
        Duration timeout = properties.projectionTimeout().plus(waitFor);
        return client.get()
                .uri(uri -> uri.path("/internal/idempotency/{storeKey}")
                        .queryParam("waitMillis", waitFor.toMillis())
                        .build(storeKey))
                .accept(MediaType.APPLICATION_JSON)
                .httpRequest(request -> ((HttpClientRequest) request.getNativeRequest()).responseTimeout(timeout))
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(IdempotencyEntry.class).map(Optional::of);
                    }
                    if (response.statusCode().value() == 404) {
                        return response.releaseBody().thenReturn(Optional.<IdempotencyEntry>empty());
                    }
                    return failed(response);
                })
                .filter(entry -> entry.isEmpty() || entry.get().jobId() != null)
                .switchIfEmpty(Mono.error(() -> unavailable("the projection answered without a usable entry", null)))
                .timeout(timeout.plus(properties.projectionConnectTimeout()))
                .onErrorMap(error -> !(error instanceof ApiProblemException), error -> unavailable(null, error));
    }

    /** The body of an answer about job {@code id}: 404 is "no such job", other failures are 503s. */
    private <T> Mono<T> ofJob(String id, ClientResponse response, Class<T> type) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(type);
        }
        if (response.statusCode().value() == 404) {
            return response.releaseBody().then(Mono.error(JobId.notFound(id)));
        }
        return failed(response);
    }

    private static String waitOutcome(ClientResponse response) {
        String outcome = response.headers().asHttpHeaders().getFirst(WAIT_HEADER);
        return outcome != null && WAIT_OUTCOMES.contains(outcome) ? outcome : null;
    }

    private <T> Mono<T> failed(ClientResponse response) {
        Duration retryAfter = retryAfter(response.headers().asHttpHeaders());
        String detail = "the projection answered " + response.statusCode().value();
        if (response.statusCode().value() == 401) {
            log.warn("the projection refused this instance's internal key: jobline.security.internal-key must be "
                    + "the same in command-api and status-projection");
        }
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
