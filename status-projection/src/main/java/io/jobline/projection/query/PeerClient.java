package io.jobline.projection.query;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;

import io.jobline.projection.listing.ListingQuery;
import io.jobline.projection.listing.TimeRange;
import io.jobline.projection.watch.WaitFor;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * Calls the query API of another projection instance with {@code local=true}, so that it answers from its
 * own stores ({@code stale=true}: its standby copies too); every call carries the internal key (the
 * {@code webClient}'s default header). 200 is the answer, 404 an empty one; anything
 * else, or no answer in time, becomes a {@link StoresUnavailableException}, which the caller may retry
 * elsewhere.
 */
public class PeerClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

    private final WebClient webClient;
    private final Duration getTimeout;
    private final Duration listTimeout;
    private final ConnectionProvider connections;

    /**
     * @param getTimeout  bound of a per-job call (the peer may wait for read-your-writes)
     * @param listTimeout bound of a listing
     * @param connections the connection pool of {@code webClient}, closed with this client
     */
    public PeerClient(WebClient webClient, Duration getTimeout, Duration listTimeout, ConnectionProvider connections) {
        this.webClient = webClient;
        this.getTimeout = getTimeout;
        this.listTimeout = listTimeout;
        this.connections = connections;
    }

    @Override
    public void close() {
        connections.dispose();
    }

    /** The view from an instance that holds it; empty when that instance answers 404. */
    public Mono<Optional<JobViewJson>> get(HostInfo host, String jobId, boolean stale) {
        return call(host, b -> local(b.path("/internal/jobs/{id}"), stale).build(jobId), JobViewJson.class,
                getTimeout, "job " + jobId);
    }

    /**
     * A long-poll forwarded to the instance that folds the job, waiting at most {@code timeout} there;
     * empty when it answers 404.
     */
    public Mono<Optional<Waited>> await(HostInfo host, String jobId, WaitFor waitFor, Duration timeout) {
        Function<UriBuilder, URI> uri = b -> {
            UriBuilder builder = local(base(b, host).path("/internal/jobs/{id}"), false)
                    .queryParam("waitFor", waitFor.parameter())
                    .queryParam("timeout", timeout.toMillis() + "ms");
            if (waitFor.version() != null) {
                builder.queryParam("version", waitFor.version());
            }
            return builder.build(jobId);
        };
        return webClient.get().uri(uri)
                .exchangeToMono(response -> {
                    if (response.statusCode().isSameCodeAs(HttpStatus.OK)) {
                        boolean satisfied = "satisfied".equals(response.headers().asHttpHeaders().getFirst(Waited.HEADER));
                        return response.bodyToMono(JobViewJson.class).map(view -> Optional.of(new Waited(view, satisfied)));
                    }
                    return otherwise(response, host, "a long-poll of job " + jobId);
                })
                .timeout(getTimeout.plus(timeout))
                .onErrorMap(e -> !(e instanceof StoresUnavailableException),
                        e -> new StoresUnavailableException("instance " + host + " did not answer a long-poll of job " + jobId, e));
    }

    /** One attempt's log lines from an instance that holds the job; empty when it answers 404. */
    public Mono<Optional<JobLogJson>> logs(HostInfo host, String jobId, Integer attempt, int tail, boolean stale) {
        return call(host, b -> {
            UriBuilder uri = local(b.path("/internal/jobs/{id}/logs"), stale).queryParam("tail", tail);
            if (attempt != null) {
                uri.queryParam("attempt", attempt);
            }
            return uri.build(jobId);
        }, JobLogJson.class, getTimeout, "the logs of job " + jobId);
    }

    /** A page of a job's history from an instance that holds it; empty when it answers 404. */
    public Mono<Optional<JobHistoryJson>> history(HostInfo host, String jobId, long after, int limit, boolean stale) {
        return call(host, b -> local(b.path("/internal/jobs/{id}/history"), stale)
                        .queryParam("after", after).queryParam("limit", limit).build(jobId),
                JobHistoryJson.class, getTimeout, "the history of job " + jobId);
    }

    /**
     * What an idempotency key points at, from the instance that folds its partition (waiting there up to
     * {@code wait} for it to appear) or from a standby ({@code stale}); empty when that instance answers 404.
     */
    public Mono<Optional<IdempotencyJson>> idempotency(HostInfo host, String storeKey, Duration wait, boolean stale) {
        return call(host, b -> local(b.path("/internal/idempotency/{storeKey}"), stale)
                        .queryParam("waitMillis", wait.toMillis()).build(storeKey),
                IdempotencyJson.class, getTimeout.plus(wait), "idempotency key " + storeKey);
    }

    /** An instance's page and total of the given partitions. */
    public Mono<JobPageJson> list(HostInfo host, ListingQuery query, Collection<Integer> partitions, boolean stale) {
        return call(host, b -> {
            UriBuilder uri = local(b.path("/internal/jobs"), stale)
                    .queryParam("limit", query.limit())
                    .queryParam("partitions", partitions.stream().map(String::valueOf).collect(Collectors.joining(",")));
            if (query.status() != null) {
                uri.queryParam("status", query.status().name());
            }
            Map<String, String> values = new HashMap<>(); // URI variables: encoded strictly ('+', '&', '/' too)
            if (query.owner() != null) {
                uri.queryParam("owner", "{owner}");
                values.put("owner", query.owner());
            }
            if (query.workflow() != null) {
                uri.queryParam("workflow", "{workflow}");
                values.put("workflow", query.workflow());
            }
            if (query.submitted().from() > 0) {
                uri.queryParam("submittedAfter", Instant.ofEpochMilli(query.submitted().from()));
            }
            if (query.submitted().to() < TimeRange.UNBOUNDED) {
                uri.queryParam("submittedBefore", Instant.ofEpochMilli(query.submitted().to()));
            }
            if (query.after() != null) {
                uri.queryParam("after", query.after());
            }
            return uri.build(values);
        }, JobPageJson.class, listTimeout, "a listing")
                .flatMap(page -> page.map(Mono::just).orElseGet(() -> Mono.error(new StoresUnavailableException(
                        "instance " + host + " answered 404 to a listing"))));
    }

    private <T> Mono<Optional<T>> call(HostInfo host, Function<UriBuilder, URI> uri, Class<T> type, Duration timeout,
            String what) {
        return webClient.get()
                .uri(b -> uri.apply(base(b, host)))
                .exchangeToMono(response -> {
                    if (response.statusCode().isSameCodeAs(HttpStatus.OK)) {
                        return response.bodyToMono(type).map(Optional::of);
                    }
                    return this.<T>otherwise(response, host, what);
                })
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof StoresUnavailableException),
                        e -> new StoresUnavailableException("instance " + host + " did not answer for " + what, e));
    }

    private <T> Mono<Optional<T>> otherwise(ClientResponse response, HostInfo host, String what) {
        if (response.statusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
            return response.releaseBody().thenReturn(Optional.<T>empty());
        }
        if (response.statusCode().isSameCodeAs(HttpStatus.UNAUTHORIZED)) {
            // not a passing state like a rebalance: the instances were given different keys
            log.warn("instance {} refused this instance's internal key: do all instances have the same"
                    + " jobline.security.internal-key?", host);
        }
        return response.releaseBody().then(Mono.error(new StoresUnavailableException(
                "instance " + host + " answered " + response.statusCode() + " for " + what)));
    }

    private static UriBuilder base(UriBuilder builder, HostInfo host) {
        return builder.scheme("http").host(host.host()).port(host.port());
    }

    private static UriBuilder local(UriBuilder builder, boolean stale) {
        builder.queryParam("local", true);
        return stale ? builder.queryParam("stale", true) : builder;
    }
}
