package io.jobline.api.action;

import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.openapi.Descriptions;
import io.jobline.api.query.JobId;
import io.jobline.api.ratelimit.WorkRateLimiter;
import io.jobline.api.security.Caller;
import io.jobline.api.view.Accepted;
import io.jobline.api.view.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /jobs/{id}/cancel} and {@code POST /jobs/{id}/retry}: no body needed (one sent is ignored). Both
 * answer like {@code POST /jobs}: {@code 202 Accepted} with {@code Location: /jobs/{id}}, the job's view as it will
 * be once the command is folded, and {@code X-Request-Id} when a command was written; only after Kafka acknowledged
 * it. {@code 404} for an unknown job, another owner's job (unless the caller is an admin) or an id that is not a
 * UUID, as for {@code GET}; {@code 409} when the job's status does not allow the request, {@code 503} with
 * {@code Retry-After} when the projection or Kafka cannot answer. A retry creates work: it takes a token of the
 * caller's rate limit first ({@code 429} without one).
 */
@RestController
public class JobActionController {

    private final JobActions actions;
    private final WorkRateLimiter rateLimiter;

    public JobActionController(JobActions actions, WorkRateLimiter rateLimiter) {
        this.actions = actions;
        this.rateLimiter = rateLimiter;
    }

    @Operation(summary = "Cancel a job",
            description = "A PENDING or RUNNING job: records a JobCancelRequested and answers the job as it will show "
                    + "(CANCELLING). A CANCELLING job: answers it as it is, recording nothing. No body is needed; "
                    + "one sent is ignored.")
    @ApiResponse(responseCode = "202", description = "Accepted: the job as it will show once the request is folded.",
            headers = {
                    @Header(name = HttpHeaders.LOCATION, description = Descriptions.LOCATION,
                            schema = @Schema(type = "string", format = "uri-reference")),
                    @Header(name = Accepted.REQUEST_ID_HEADER, description = Descriptions.REQUEST_ID,
                            schema = @Schema(type = "string", format = "uuid"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "404", description = Descriptions.NO_SUCH_JOB)
    @ApiResponse(responseCode = "409", description = "The job has finished (COMPLETED, FAILED, CANCELLED): "
            + "jobStatus holds its status.")
    @ApiResponse(responseCode = "503", description = Descriptions.COMMAND_UNAVAILABLE)
    @PostMapping(path = "/jobs/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobView>> cancel(@Parameter(description = Descriptions.JOB_ID,
            schema = @Schema(type = "string", format = "uuid")) @PathVariable("id") String id,
            @AuthenticationPrincipal Caller caller) {
        return accept(id, caller, actions::cancel);
    }

    @Operation(summary = "Retry a job",
            description = "A FAILED or CANCELLED job: records a JobRetryRequested for the next attempt, with the same "
                    + "workflow and parameters, and answers the job as it will show (PENDING). Creates work: takes a "
                    + "token of the caller's rate limit first. No body is needed; one sent is ignored.")
    @ApiResponse(responseCode = "202", description = "Accepted: the job as it will show once the retry is folded.",
            headers = {
                    @Header(name = HttpHeaders.LOCATION, description = Descriptions.LOCATION,
                            schema = @Schema(type = "string", format = "uri-reference")),
                    @Header(name = Accepted.REQUEST_ID_HEADER, description = Descriptions.REQUEST_ID,
                            schema = @Schema(type = "string", format = "uuid"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "404", description = Descriptions.NO_SUCH_JOB)
    @ApiResponse(responseCode = "409", description = "The job is neither FAILED nor CANCELLED, or its workflow is no "
            + "longer allowed: jobStatus holds its status.")
    @ApiResponse(responseCode = "429", description = Descriptions.RATE_LIMITED)
    @ApiResponse(responseCode = "503", description = Descriptions.COMMAND_UNAVAILABLE)
    @PostMapping(path = "/jobs/{id}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobView>> retry(@Parameter(description = Descriptions.JOB_ID,
            schema = @Schema(type = "string", format = "uuid")) @PathVariable("id") String id,
            @AuthenticationPrincipal Caller caller) {
        return rateLimiter.take(caller).then(accept(id, caller, actions::retry));
    }

    /** Runs {@code action} on job {@code id} under a new request id and answers its outcome as a 202. */
    private static Mono<ResponseEntity<JobView>> accept(String id, Caller caller, Action action) {
        String requestId = UUID.randomUUID().toString();
        return Mono.fromCallable(() -> JobId.parse(id))
                .flatMap(jobId -> action.run(jobId, requestId, caller))
                .map(outcome -> Accepted.job(outcome.view(), outcome.recorded() ? requestId : null));
    }

    /** {@link JobActions#cancel} or {@link JobActions#retry}. */
    private interface Action {
        Mono<JobActions.Outcome> run(String jobId, String requestId, Caller caller);
    }
}
