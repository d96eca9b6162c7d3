package io.jobline.api.feed;

import java.util.Optional;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.openapi.Descriptions;
import io.jobline.api.query.JobAccess;
import io.jobline.api.query.JobId;
import io.jobline.api.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The Server-Sent Event streams: {@code GET /jobs/{id}/events} (one job: its current view, then every change,
 * until a terminal status) and {@code GET /jobs/stream} (every change of every job of the caller; of every job at
 * all for an admin). Both resume after the event whose id a reconnecting client sends as {@code Last-Event-ID}.
 * Errors before a stream starts (unknown job or another owner's, unusable {@code Last-Event-ID}, feed not
 * connected) are problems like everywhere else.
 */
@RestController
public class JobEventsController {

    private static final String EVENTS = "Events: `job` (data: the job's view, as GET /jobs/{id}), `heartbeat` "
            + "(data: {}; every 15 s) and `resync` (data: {\"reason\", \"detail\"}; the stream closes after it: "
            + "re-read, then reconnect without Last-Event-ID). Each event's id is a cursor: reconnect with it as "
            + "Last-Event-ID to resume after it, on any instance.";
    private static final String STREAM_UNAVAILABLE = "The projection cannot answer, or this instance's feed is not "
            + "connected to Kafka yet: retry after Retry-After.";

    private final StatusFeed feed;
    private final JobAccess jobs;

    public JobEventsController(StatusFeed feed, JobAccess jobs) {
        this.feed = feed;
        this.jobs = jobs;
    }

    @Operation(summary = "Follow a job (Server-Sent Events)",
            description = "A text/event-stream of one job: its current view, then every change, until a terminal "
                    + "status. " + EVENTS)
    @ApiResponse(responseCode = "200", description = "The stream.", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "Last-Event-ID is not an event id of a job stream.")
    @ApiResponse(responseCode = "404", description = Descriptions.NO_SUCH_JOB)
    @ApiResponse(responseCode = "503", description = STREAM_UNAVAILABLE)
    @GetMapping(path = "/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> jobEvents(@Parameter(description = Descriptions.JOB_ID,
                    schema = @Schema(type = "string", format = "uuid")) @PathVariable("id") String id,
            @Parameter(description = Descriptions.LAST_EVENT_ID + " A job stream's ids look like 4-120-2.",
                    schema = @Schema(type = "string", maxLength = 8192, pattern = "^\\s*[0-9]{1,9}-[0-9]{1,19}-[0-9]{1,19}\\s*$"))
            @RequestHeader(name = Cursors.LAST_EVENT_ID, required = false) String lastEventId,
            @AuthenticationPrincipal Caller caller, @Parameter(hidden = true) ServerWebExchange exchange) {
        return Mono.fromCallable(() -> new JobStreamRequest(JobId.parse(id), jobCursor(lastEventId)))
                .flatMap(request -> jobs.job(request.jobId(), caller)
                        .zipWith(feed.partitions(), (current, partitions) -> request.cursor() == null
                                ? feed.followJob(request.jobId(), current, partitions, disconnect(exchange))
                                : feed.resumeJob(request.jobId(), request.cursor(), partitions, disconnect(exchange))))
                .map(JobEventsController::eventStream);
    }

    @Operation(summary = "Follow all jobs (Server-Sent Events)",
            description = "A text/event-stream of every change of every job of the caller (of every job at all for "
                    + "an admin). " + EVENTS)
    @ApiResponse(responseCode = "200", description = "The stream.", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "Last-Event-ID is not an event id of /jobs/stream.")
    @ApiResponse(responseCode = "503", description = STREAM_UNAVAILABLE)
    @GetMapping(path = "/jobs/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> allJobs(
            @Parameter(description = Descriptions.LAST_EVENT_ID + " A /jobs/stream id names every partition: "
                    + "0-152.1-87.2-130.", schema = @Schema(type = "string", maxLength = 8192,
                            pattern = "^\\s*[0-9]{1,9}-[0-9]{1,18}(\\.[0-9]{1,9}-[0-9]{1,18})*\\s*$"))
            @RequestHeader(name = Cursors.LAST_EVENT_ID, required = false) String lastEventId,
            @AuthenticationPrincipal Caller caller, @Parameter(hidden = true) ServerWebExchange exchange) {
        return Mono.fromCallable(() -> Optional.ofNullable(streamCursor(lastEventId)))
                .flatMap(cursor -> feed.partitions()
                        .map(partitions -> caller.isAdmin()
                                ? feed.followAll(cursor.orElse(null), partitions, disconnect(exchange))
                                : feed.followOwner(caller.owner(), cursor.orElse(null), partitions,
                                        disconnect(exchange))))
                .map(JobEventsController::eventStream);
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
