package io.jobline.projection.query;

import java.time.Duration;
import java.util.Optional;

import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;

import io.jobline.schemas.JobStatus;
import reactor.core.publisher.Mono;

/**
 * Calls the query API of another projection instance with {@code local=true}, so that it answers from its
 * own stores. Anything but a clear answer becomes a {@link StoresUnavailableException} (503 to our client).
 */
public class PeerClient {

    private final WebClient webClient;
    private final Duration getTimeout;
    private final Duration listTimeout;

    /**
     * @param getTimeout  bound of a {@code GET /internal/jobs/{id}} (the peer may wait for read-your-writes)
     * @param listTimeout bound of a listing
     */
    public PeerClient(WebClient webClient, Duration getTimeout, Duration listTimeout) {
        this.webClient = webClient;
        this.getTimeout = getTimeout;
        this.listTimeout = listTimeout;
    }

    /** The view from the instance that holds it; empty when that instance answers 404. */
    public Mono<Optional<JobViewJson>> get(HostInfo host, String jobId) {
        return webClient.get()
                .uri(b -> base(b, host).path("/internal/jobs/{id}").queryParam("local", true).build(jobId))
                .exchangeToMono(response -> {
                    if (response.statusCode().isSameCodeAs(HttpStatus.OK)) {
                        return response.bodyToMono(JobViewJson.class).map(Optional::of);
                    }
                    if (response.statusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
                        return response.releaseBody().thenReturn(Optional.<JobViewJson>empty());
                    }
                    return response.releaseBody().then(Mono.error(new StoresUnavailableException(
                            "instance " + host + " answered " + response.statusCode() + " for job " + jobId)));
                })
                .timeout(getTimeout)
                .onErrorMap(e -> !(e instanceof StoresUnavailableException),
                        e -> new StoresUnavailableException("instance " + host + " did not answer for job " + jobId, e));
    }

    /** One attempt's log lines from the instance that holds the job; empty when that instance answers 404. */
    public Mono<Optional<JobLogJson>> logs(HostInfo host, String jobId, Integer attempt, int tail) {
        return webClient.get()
                .uri(b -> {
                    UriBuilder uri = base(b, host).path("/internal/jobs/{id}/logs")
                            .queryParam("local", true)
                            .queryParam("tail", tail);
                    if (attempt != null) {
                        uri.queryParam("attempt", attempt);
                    }
                    return uri.build(jobId);
                })
                .exchangeToMono(response -> {
                    if (response.statusCode().isSameCodeAs(HttpStatus.OK)) {
                        return response.bodyToMono(JobLogJson.class).map(Optional::of);
                    }
                    if (response.statusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
                        return response.releaseBody().thenReturn(Optional.<JobLogJson>empty());
                    }
                    return response.releaseBody().then(Mono.<Optional<JobLogJson>>error(new StoresUnavailableException(
                            "instance " + host + " answered " + response.statusCode() + " for the logs of job " + jobId)));
                })
                .timeout(getTimeout)
                .onErrorMap(e -> !(e instanceof StoresUnavailableException),
                        e -> new StoresUnavailableException("instance " + host + " did not answer for the logs of job " + jobId, e));
    }

    /** One instance's page of its local jobs. */
    public Mono<Page<JobViewJson>> list(HostInfo host, JobStatus status, String after, int limit) {
        return webClient.get()
                .uri(b -> {
                    UriBuilder uri = base(b, host).path("/internal/jobs")
                            .queryParam("local", true)
                            .queryParam("limit", limit);
                    if (status != null) {
                        uri.queryParam("status", status.name());
                    }
                    if (after != null) {
                        uri.queryParam("after", after);
                    }
                    return uri.build();
                })
                .exchangeToMono(response -> {
                    if (response.statusCode().isSameCodeAs(HttpStatus.OK)) {
                        return response.bodyToMono(JobPageJson.class).map(JobPageJson::toPage);
                    }
                    return response.releaseBody().then(Mono.<Page<JobViewJson>>error(new StoresUnavailableException(
                            "instance " + host + " answered " + response.statusCode() + " to a listing")));
                })
                .timeout(listTimeout)
                .onErrorMap(e -> !(e instanceof StoresUnavailableException),
                        e -> new StoresUnavailableException("instance " + host + " did not answer a listing", e));
    }

    private static UriBuilder base(UriBuilder builder, HostInfo host) {
        return builder.scheme("http").host(host.host()).port(host.port());
    }
}
