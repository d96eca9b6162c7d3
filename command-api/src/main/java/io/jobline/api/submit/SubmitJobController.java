package io.jobline.api.submit;

import java.util.UUID;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.jobline.api.ApiProperties;
import io.jobline.api.view.Accepted;
import io.jobline.api.view.JobView;
import reactor.core.publisher.Mono;

/**
 * {@code POST /jobs}: validates the body, records a {@code JobSubmitted} on Kafka and answers {@code 202 Accepted}
 * with {@code Location: /jobs/{id}} and the PENDING job view, only after Kafka acknowledged the write.
 * The body is read by hand, with a bound of {@value JobRequestValidator#MAX_BODY_BYTES} bytes whether or not a
 * {@code Content-Length} was sent, so that the validator sees the raw bytes and can name every offending field.
 */
@RestController
public class SubmitJobController {

    /** Response header carrying the id this request was recorded under ({@code JobSubmitted.requestId}). */
    public static final String REQUEST_ID_HEADER = Accepted.REQUEST_ID_HEADER;

    private final JobRequestValidator validator;
    private final JobSubmitter submitter;

    public SubmitJobController(ApiProperties properties, AllowedWorkflows workflows, JobSubmitter submitter) {
        this.validator = new JobRequestValidator(workflows.names(), properties.parameterValueRegex());
        this.submitter = submitter;
    }

    @PostMapping(path = "/jobs", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobView>> submit(ServerWebExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        return DataBufferUtils.join(exchange.getRequest().getBody(), JobRequestValidator.MAX_BODY_BYTES)
                .map(SubmitJobController::drain)
                .onErrorMap(DataBufferLimitException.class, e -> JobRequestValidator.bodyTooLarge())
                .defaultIfEmpty(new byte[0])
                .map(validator::validate)
                .flatMap(request -> submitter.submit(request, requestId))
                .map(view -> Accepted.job(view, requestId));
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
