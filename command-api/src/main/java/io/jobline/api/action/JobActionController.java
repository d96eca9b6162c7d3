package io.jobline.api.action;

import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.query.JobId;
import io.jobline.api.view.Accepted;
import io.jobline.api.view.JobView;
import reactor.core.publisher.Mono;

/**
 * {@code POST /jobs/{id}/cancel} and {@code POST /jobs/{id}/retry}: no body needed (one sent is ignored). Both
 * answer like {@code POST /jobs}: {@code 202 Accepted} with {@code Location: /jobs/{id}}, the job's view as it will
 * be once the command is folded, and {@code X-Request-Id} when a command was written; only after Kafka acknowledged
 * it. {@code 404} for an unknown job (or an id that is not a UUID, as for {@code GET}), {@code 409} when the job's
 * status does not allow the request, {@code 503} with {@code Retry-After} when the projection or Kafka cannot answer.
 */
@RestController
public class JobActionController {

    private final JobActions actions;

    public JobActionController(JobActions actions) {
        this.actions = actions;
    }

    @PostMapping(path = "/jobs/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobView>> cancel(@PathVariable("id") String id) {
        String requestId = UUID.randomUUID().toString();
        return Mono.fromCallable(() -> JobId.parse(id))
                .flatMap(jobId -> actions.cancel(jobId, requestId))
                .map(outcome -> Accepted.job(outcome.view(), outcome.recorded() ? requestId : null));
    }

    @PostMapping(path = "/jobs/{id}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobView>> retry(@PathVariable("id") String id) {
        String requestId = UUID.randomUUID().toString();
        return Mono.fromCallable(() -> JobId.parse(id))
                .flatMap(jobId -> actions.retry(jobId, requestId))
                .map(outcome -> Accepted.job(outcome.view(), outcome.recorded() ? requestId : null));
    }
}
