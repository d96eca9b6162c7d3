package io.jobline.api.submit;

import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobline.api.ApiProperties;
import io.jobline.api.kafka.CommandPartitions;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.query.IdempotencyEntry;
import io.jobline.api.query.ProjectionClient;
import io.jobline.api.view.JobView;
import io.jobline.schemas.Idempotency;
import io.jobline.schemas.Partitions;
import reactor.core.publisher.Mono;

/**
 * {@code POST /jobs} with an {@code Idempotency-Key}: within {@link Idempotency#WINDOW} the same owner's key with the
 * same request answers with the same job, and with another request 422; across retries, concurrent requests and
 * API instances.
 *
 * <p>The projection decides: it keeps, per owner and key ({@link Idempotency#storeKey}), the first
 * {@code JobSubmitted} it folded, and ignores later ones. Every submission with the key goes to the commands
 * partition of the store key (its job id is picked for that), so all of them are folded in the order Kafka
 * stored them, by the one stream task that owns the key; the processor runs only the first, too.
 *
 * <ol>
 * <li>Ask the projection whether the key is known: same request, answer with that job ({@code replayed}); another
 * request, 422. Nothing is written.</li>
 * <li>Else write a {@code JobSubmitted} with the key and the request's fingerprint, and wait for the projection to
 * say which submission won: ours, answer as for any new job; another one of the same request (a concurrent
 * retry), answer with that job; another request, 422.</li>
 * <li>If the projection cannot tell within {@code jobline.api.idempotency-confirm-timeout}: 503 with
 * {@code Retry-After}; the client's retry with the same key finds the answer.</li>
 * </ol>
 */
@Service
public class IdempotentSubmitter {

    private static final Logger log = LoggerFactory.getLogger(IdempotentSubmitter.class);

    private final JobSubmitter submitter;
    private final ProjectionClient projection;
    private final CommandPartitions partitions;
    private final ApiProperties properties;

    public IdempotentSubmitter(JobSubmitter submitter, ProjectionClient projection, CommandPartitions partitions,
            ApiProperties properties) {
        this.submitter = submitter;
        this.projection = projection;
        this.partitions = partitions;
        this.properties = properties;
    }

    /** The job to answer with, and whether an earlier request made it. */
    public record Submission(JobView view, boolean replayed) {
    }

    public Mono<Submission> submit(SubmitJobRequest request, String requestId, String owner, String key) {
        String storeKey = Idempotency.storeKey(owner, key);
        String fingerprint = Idempotency.fingerprint(request.workflow(), request.parameters());
        return projection.idempotency(storeKey, Duration.ZERO)
                .flatMap(known -> known.isPresent()
                        ? answerWith(known.get(), fingerprint)
                        : writeAndConfirm(request, requestId, owner, key, storeKey, fingerprint));
    }

    private Mono<Submission> writeAndConfirm(SubmitJobRequest request, String requestId, String owner, String key,
            String storeKey, String fingerprint) {
        return partitions.count().flatMap(count -> {
            UUID id = submitter.newJobIdOn(Partitions.of(storeKey, count), count);
            return submitter.write(id, request, requestId, owner, key, fingerprint)
                    .flatMap(view -> projection.idempotency(storeKey, properties.idempotencyConfirmTimeout())
                            .onErrorMap(ApiProblemException.class, e -> unconfirmed(e.retryAfter(), e))
                            .flatMap(winner -> {
                                if (winner.isEmpty()) {
                                    return Mono.error(unconfirmed(null, null));
                                }
                                if (winner.get().jobId().equals(view.id())) {
                                    return Mono.just(new Submission(view, false));
                                }
                                log.info("submission {} lost to job {} for the same Idempotency-Key",
                                        view.id(), winner.get().jobId());
                                return answerWith(winner.get(), fingerprint);
                            }));
        });
    }

    /** The answer for a key that stands for {@code entry}'s job: it, if the request is the same; else 422. */
    private Mono<Submission> answerWith(IdempotencyEntry entry, String fingerprint) {
        if (!fingerprint.equals(entry.fingerprint())) {
            return Mono.error(ApiProblemException.idempotencyKeyReused(IdempotencyKeys.HEADER,
                    "was used within the last " + Idempotency.WINDOW.toHours() + " hours for another request "
                            + "(another workflow or other parameters); use a new key for a new request"));
        }
        return projection.job(entry.jobId())
                .onErrorMap(ApiProblemException.class, e -> unconfirmed(e.retryAfter(), e))
                .map(view -> new Submission(view, true));
    }

    private ApiProblemException unconfirmed(Duration retryAfter, Throwable cause) {
        return ApiProblemException.unavailable("The job's submission could not be confirmed yet. Retry with the same "
                + IdempotencyKeys.HEADER + " to get its answer.",
                retryAfter != null ? retryAfter : properties.retryAfter(), cause);
    }
}
