package io.jobline.api.feed;

import java.util.Optional;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.ApiProperties;
import io.jobline.api.query.JobId;
import io.jobline.api.query.ProjectionClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The Server-Sent Event streams: {@code GET /jobs/{id}/events} (one job: its current view, then every change,
 * until a terminal status) and {@code GET /jobs/stream} (every change of every job of the caller). Both resume
 * after the event whose id a reconnecting client sends as {@code Last-Event-ID}. Errors before a stream starts
 * (unknown job, unusable {@code Last-Event-ID}, feed not connected) are problems like everywhere else.
 */
@RestController
public class JobEventsController {

    private final StatusFeed feed;
    private final ProjectionClient projection;
    private final ApiProperties api;

    public JobEventsController(StatusFeed feed, ProjectionClient projection, ApiProperties api) {
        this.feed = feed;
        this.projection = projection;
        this.api = api;
    }

    @GetMapping(path = "/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> jobEvents(@PathVariable("id") String id,
            @RequestHeader(name = Cursors.LAST_EVENT_ID, required = false) String lastEventId,
            ServerWebExchange exchange) {
        return Mono.fromCallable(() -> new JobStreamRequest(JobId.parse(id), jobCursor(lastEventId)))
                .flatMap(request -> projection.job(request.jobId())
                        .zipWith(feed.partitions(), (current, partitions) -> request.cursor() == null
                                ? feed.followJob(request.jobId(), current, partitions, disconnect(exchange))
                                : feed.resumeJob(request.jobId(), request.cursor(), partitions, disconnect(exchange))))
                .map(JobEventsController::eventStream);
    }

    @GetMapping(path = "/jobs/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> allJobs(
            @RequestHeader(name = Cursors.LAST_EVENT_ID, required = false) String lastEventId,
            ServerWebExchange exchange) {
        return Mono.fromCallable(() -> Optional.ofNullable(streamCursor(lastEventId)))
                .flatMap(cursor -> feed.partitions()
                        .map(partitions -> feed.followOwner(caller(), cursor.orElse(null), partitions,
                                disconnect(exchange))))
                .map(JobEventsController::eventStream);
    }

    /** Whose jobs {@code /jobs/stream} shows: every job has the configured owner until authentication exists. */
    private String caller() {
        return api.owner();
    }

    /**
     * Closes the connection of a client that does not even read its {@code resync} event: the response cannot be
     * ended properly (the end would wait behind the unread events), and the client must notice that its stream is
     * over. Null when the server is not Reactor Netty (the stream then ends with an error, which closes it too).
     */
    private static Runnable disconnect(ServerWebExchange exchange) {
        Object request;
        try {
            request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return request instanceof HttpServerRequest netty ? () -> netty.withConnection(Connection::dispose) : null;
    }

    private static ResponseEntity<Flux<ServerSentEvent<String>>> eventStream(Flux<ServerSentEvent<String>> events) {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no") // proxies that buffer responses (nginx) pass each event at once
                .body(events);
    }

    private static JobCursor jobCursor(String lastEventId) {
        return lastEventId == null || lastEventId.isBlank() ? null : JobCursor.parse(lastEventId);
    }

    private static StreamCursor streamCursor(String lastEventId) {
        return lastEventId == null || lastEventId.isBlank() ? null : StreamCursor.parse(lastEventId);
    }

    private record JobStreamRequest(String jobId, JobCursor cursor) {
    }
}
