package io.jobline.api.query;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.openapi.Descriptions;
import io.jobline.api.openapi.JobHistory;
import io.jobline.api.security.Caller;
import io.jobline.api.view.JobPage;
import io.jobline.api.view.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /jobs/{id}} (with an optional long-poll, {@link WaitQuery}), {@code GET /jobs} ({@link ListQuery}) and
 * {@code GET /jobs/{id}/history} ({@link HistoryQuery}), answered from the status-projection. Job ids as in
 * {@link JobId}. A caller sees and lists only its own jobs, an admin every job ({@link JobAccess}).
 */
@RestController
public class JobQueryController {

    private static final String TIME = "An ISO-8601 instant (2026-11-29T08:00:00Z; an offset's + written %2B), years "
            + "0000 to 9999, rounded up to whole milliseconds.";

    private final ProjectionClient projection;
    private final JobAccess access;

    public JobQueryController(ProjectionClient projection, JobAccess access) {
        this.projection = projection;
        this.access = access;
    }

    @Operation(summary = "Read a job",
            description = "The job's current view, readable at once after its 202. With waitFor it is a long-poll: "
                    + "the answer comes as soon as the job has the status waitFor (or, with waitFor=change, a version "
                    + "above `version`), or with the current view once `timeout` has passed; Jobline-Wait says which.")
    @ApiResponse(responseCode = "200", description = "The job's view.",
            headers = @Header(name = ProjectionClient.WAIT_HEADER, description = "Long-polls only: satisfied or "
                    + "timeout", schema = @Schema(type = "string", allowableValues = {"satisfied", "timeout"})),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "400", description = "waitFor, timeout or version is invalid, or timeout or version "
            + "came without waitFor (version: only with waitFor=change).")
    @ApiResponse(responseCode = "404", description = Descriptions.NO_SUCH_JOB)
    @ApiResponse(responseCode = "503", description = Descriptions.PROJECTION_UNAVAILABLE)
    @GetMapping(path = "/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobView>> job(@Parameter(description = Descriptions.JOB_ID, schema = @Schema(type = "string",
                    format = "uuid")) @PathVariable("id") String id,
            @Parameter(description = "Wait until the job has this status, or (change) until its version is above "
                    + "`version`.", schema = @Schema(type = "string", allowableValues = {"change", "PENDING",
                            "RUNNING", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED"}))
            @RequestParam(name = "waitFor", required = false) String waitFor,
            @Parameter(description = "With waitFor: the longest wait, 1ms to 60s, as 30s, 500ms, 1m or ISO-8601 "
                    + "(PT30S); default 30s.", schema = @Schema(type = "string", maxLength = 32, example = "30s",
                            pattern = "^([0-9]{1,9}(ms|s|m|MS|S|M)|[Pp][0-9A-Za-z.]{1,30})$"))
            @RequestParam(name = "timeout", required = false) String timeout,
            @Parameter(description = "With waitFor=change: the version the client has seen; default: the version "
                    + "when the request arrives.", schema = @Schema(type = "integer", format = "int64", minimum = "0",
                            maximum = "999999999999999999"))
            @RequestParam(name = "version", required = false) String version,
            @AuthenticationPrincipal Caller caller) {
        return Mono.fromCallable(() -> new JobRequest(JobId.parse(id), WaitQuery.parse(waitFor, timeout, version)))
                .flatMap(request -> {
                    // a long-poll on another owner's job must not wait: it fails at once, like one on no job
                    Mono<Void> allowed = request.waitQuery() == null ? Mono.empty() : access.check(request.id(), caller);
                    return allowed.then(projection.job(request.id(), request.waitQuery()))
                            .flatMap(answer -> JobAccess.visible(request.id(), answer.view(), caller).thenReturn(answer));
                })
                .map(answer -> {
                    ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
                    if (answer.waitOutcome() != null) {
                        ok.header(ProjectionClient.WAIT_HEADER, answer.waitOutcome());
                    }
                    return ok.body(answer.view());
                });
    }

    private record JobRequest(String id, WaitQuery waitQuery) {
    }

    @Operation(summary = "List jobs",
            description = "The caller's jobs (an admin's: every job), newest first, one page at a time, filtered by "
                    + "status, workflow and submission time (all optional, combined). `total` counts every matching "
                    + "job; the last page has no nextPageToken. An empty parameter counts as not given.")
    @ApiResponse(responseCode = "200", description = "One page of jobs.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobPage.class)))
    @ApiResponse(responseCode = "400", description = "A parameter is invalid, submittedBefore is not later than "
            + "submittedAfter, or the page token is not one of this listing (other filters).")
    @ApiResponse(responseCode = "503", description = Descriptions.PROJECTION_UNAVAILABLE)
    @GetMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<JobPage> jobs(
            @Parameter(description = "Only jobs with this status.", schema = @Schema(type = "string",
                    allowableValues = {"PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED"}))
            @RequestParam(name = "status", required = false) String status,
            @Parameter(description = "Only jobs of this workflow.", schema = @Schema(type = "string",
                    maxLength = ListQuery.MAX_WORKFLOW_LENGTH, pattern = "^[^\\u0000-\\u001F\\u007F]*$"))
            @RequestParam(name = "workflow", required = false) String workflow,
            @Parameter(description = TIME + " Only jobs submitted at or after it.", schema = @Schema(type = "string",
                    format = "date-time", maxLength = ListQuery.MAX_INSTANT_LENGTH))
            @RequestParam(name = "submittedAfter", required = false) String submittedAfter,
            @Parameter(description = TIME + " Only jobs submitted before it.", schema = @Schema(type = "string",
                    format = "date-time", maxLength = ListQuery.MAX_INSTANT_LENGTH))
            @RequestParam(name = "submittedBefore", required = false) String submittedBefore,
            @Parameter(description = "Page size.", schema = @Schema(type = "integer", format = "int32",
                    minimum = "" + ListQuery.MIN_LIMIT, maximum = "" + ListQuery.MAX_LIMIT,
                    defaultValue = "" + ListQuery.DEFAULT_LIMIT))
            @RequestParam(name = "limit", required = false) String limit,
            @Parameter(description = "The nextPageToken of the previous page, with the same filters.",
                    schema = @Schema(type = "string", maxLength = PageToken.MAX_TOKEN_LENGTH,
                            pattern = "^[A-Za-z0-9_-]+$"))
            @RequestParam(name = "pageToken", required = false) String pageToken,
            @AuthenticationPrincipal Caller caller) {
        ListQuery query = ListQuery.parse(status, workflow, submittedAfter, submittedBefore, limit, pageToken);
        return projection.jobs(query, JobAccess.listingOwner(caller)).map(page -> {
            List<JobView> items = page.items();
            String next = page.hasMore() && !items.isEmpty()
                    ? PageToken.encode(items.get(items.size() - 1).id(), query.filters())
                    : null;
            return new JobPage(items, next, page.total());
        });
    }

    @Operation(summary = "Read a job's history",
            description = "Every command and event of the job, all attempts, in the order the projection applied "
                    + "them, a page at a time: when hasMore is true, ask again with after=<the last seq>.")
    @ApiResponse(responseCode = "200", description = "One page of the job's history.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobHistory.class)))
    @ApiResponse(responseCode = "400", description = "after or limit is invalid.")
    @ApiResponse(responseCode = "404", description = Descriptions.NO_SUCH_JOB)
    @ApiResponse(responseCode = "503", description = Descriptions.PROJECTION_UNAVAILABLE)
    @GetMapping(path = "/jobs/{id}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<JsonNode> history(@Parameter(description = Descriptions.JOB_ID, schema = @Schema(type = "string",
                    format = "uuid")) @PathVariable("id") String id,
            @Parameter(description = "Only entries with a greater seq (the last seq of the previous page); default 0.",
                    schema = @Schema(type = "integer", format = "int64", minimum = "0",
                            maximum = "999999999999999999"))
            @RequestParam(name = "after", required = false) String after,
            @Parameter(description = "At most this many entries; default 1000.", schema = @Schema(type = "integer",
                    format = "int32", minimum = "" + HistoryQuery.MIN_LIMIT, maximum = "" + HistoryQuery.MAX_LIMIT))
            @RequestParam(name = "limit", required = false) String limit,
            @AuthenticationPrincipal Caller caller) {
        return Mono.fromCallable(() -> new HistoryRequest(JobId.parse(id), HistoryQuery.parse(after, limit)))
                .flatMap(request -> access.check(request.id(), caller)
                        .then(projection.history(request.id(), request.query())));
    }

    private record HistoryRequest(String id, HistoryQuery query) {
    }
}
