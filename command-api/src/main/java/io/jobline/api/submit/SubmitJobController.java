package io.jobline.api.submit;

import java.util.Optional;
import java.util.UUID;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.ApiProperties;
import io.jobline.api.openapi.Descriptions;
import io.jobline.api.ratelimit.WorkRateLimiter;
import io.jobline.api.security.Caller;
import io.jobline.api.view.Accepted;
import io.jobline.api.view.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /jobs}: takes a token of the caller's rate limit (429 without one), validates the optional
 * {@code Idempotency-Key} header and the body, records a {@code JobSubmitted} of the caller's owner on Kafka and
 * answers {@code 202 Accepted} with {@code Location: /jobs/{id}} and the PENDING job view, only after Kafka
 * acknowledged the write. With an {@code Idempotency-Key} see {@link IdempotentSubmitter}: a repeated request
 * answers {@code 202} with the job the first one made and {@code Idempotent-Replayed: true}, writing nothing.
 * The body is read by hand, with a bound of {@value JobRequestValidator#MAX_BODY_BYTES} bytes whether or not a
 * {@code Content-Length} was sent (413 over it), so that the validator sees the raw bytes and can name every
 * offending field.
 */
@RestController
public class SubmitJobController {

    /** Response header carrying the id this request was recorded under ({@code JobSubmitted.requestId}). */
    public static final String REQUEST_ID_HEADER = Accepted.REQUEST_ID_HEADER;

    private final JobRequestValidator validator;
    private final JobSubmitter submitter;
    private final IdempotentSubmitter idempotentSubmitter;
    private final WorkRateLimiter rateLimiter;

    public SubmitJobController(ApiProperties properties, AllowedWorkflows workflows, JobSubmitter submitter,
            IdempotentSubmitter idempotentSubmitter, WorkRateLimiter rateLimiter) {
        this.validator = new JobRequestValidator(workflows.names(), properties.parameterValueRegex());
        this.submitter = submitter;
        this.idempotentSubmitter = idempotentSubmitter;
        this.rateLimiter = rateLimiter;
    }

    @Operation(summary = "Submit a job",
            description = "Validates the body, records a JobSubmitted of the caller's owner on Kafka and answers once "
                    + "Kafka has acknowledged it. Takes a token of the caller's rate limit first. With an "
                    + "Idempotency-Key, the same request within 24 hours answers with the job the first one made "
                    + "(Idempotent-Replayed: true), without a second job; another request with that key is a 422.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "At most 65536 bytes of one JSON object, nested at most 64 deep; no other fields. "
                            + "Every violation is listed in the 400's errors.",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = SubmitJobRequest.class))))
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, required = false,
            description = "Makes retries safe: the same key with the same body within 24 hours answers with the same "
                    + "job; sent at most once; 1 to 128 characters of letters, digits and ._:- (a UUID, for example).",
            schema = @Schema(type = "string", minLength = 1, maxLength = IdempotencyKeys.MAX_LENGTH,
                    pattern = "^[A-Za-z0-9._:-]{1,128}$"))
    @ApiResponse(responseCode = "202", description = "Accepted: the JobSubmitted is on Kafka; the body is the job "
            + "(PENDING). For a replayed request: the job the first request made, as it is now.",
            headers = {
                    @Header(name = HttpHeaders.LOCATION, description = Descriptions.LOCATION,
                            schema = @Schema(type = "string", format = "uri-reference")),
                    @Header(name = Accepted.REQUEST_ID_HEADER, description = "The requestId the command was recorded "
                            + "under; absent on a replayed answer (nothing was recorded)",
                            schema = @Schema(type = "string", format = "uuid")),
                    @Header(name = IdempotencyKeys.REPLAYED_HEADER, description = "true when the answer is the job an "
                            + "earlier request with the same Idempotency-Key made", schema = @Schema(type = "string",
                                    allowableValues = "true"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "400", description = "The body, the Idempotency-Key header or a query parameter "
            + "breaks a rule; `field` names the first, `errors` lists all (at most 20).")
    @ApiResponse(responseCode = "413", description = "The body is over 65536 bytes.")
    @ApiResponse(responseCode = "415", description = "The body is not application/json.")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key stands for another request (another "
            + "workflow or other parameters) of the last 24 hours.")
    @ApiResponse(responseCode = "429", description = Descriptions.RATE_LIMITED)
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time, or (with an "
            + "Idempotency-Key) the projection could not confirm the submission yet: retry, with the same key.")
    @PostMapping(path = "/jobs", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobView>> submit(@Parameter(hidden = true) ServerWebExchange exchange,
            @AuthenticationPrincipal Caller caller) {
        String requestId = UUID.randomUUID().toString();
        if (exchange.getRequest().getHeaders().getContentLength() > JobRequestValidator.MAX_BODY_BYTES) {
            return Mono.error(JobRequestValidator.bodyTooLarge());
        }
        return rateLimiter.take(caller)
                .then(Mono.fromCallable(() -> IdempotencyKeys.parse(
                        exchange.getRequest().getHeaders().get(IdempotencyKeys.HEADER))))
                .flatMap(key -> DataBufferUtils.join(exchange.getRequest().getBody(), JobRequestValidator.MAX_BODY_BYTES)
                        .map(SubmitJobController::drain)
                        .onErrorMap(DataBufferLimitException.class, e -> JobRequestValidator.bodyTooLarge())
                        .defaultIfEmpty(new byte[0])
                        .map(validator::validate)
                        .flatMap(request -> submit(request, requestId, caller, key)));
    }

    private Mono<ResponseEntity<JobView>> submit(SubmitJobRequest request, String requestId, Caller caller,
            Optional<String> key) {
        if (key.isEmpty()) {
            return submitter.submit(request, requestId, caller.owner()).map(view -> Accepted.job(view, requestId));
        }
        return idempotentSubmitter.submit(request, requestId, caller.owner(), key.get())
                .map(submission -> submission.replayed()
                        ? Accepted.replayed(submission.view(), IdempotencyKeys.REPLAYED_HEADER)
                        : Accepted.job(submission.view(), requestId));
    }

    private static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
