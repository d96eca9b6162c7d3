package io.jobline.api.submit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Service;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import io.jobline.api.ApiProperties;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Topics;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Turns a validated request into a {@code JobSubmitted} command on {@code jobline.commands}, keyed by a new
 * UUIDv7 job id, and completes only once Kafka acknowledged it ({@code acks=all}, idempotent producer).
 *
 * <p>{@code KafkaProducer.send} may block the calling thread while it waits for metadata (up to
 * {@code max.block.ms}), so it is called on the bounded-elastic scheduler, never on a Netty event loop. If no
 * acknowledgement arrives within {@code jobline.api.kafka-ack-timeout} the result is a 503 problem. The producer's
 * own timeouts are bounded by the same value (see {@code KafkaConfig}), so a record the client was told failed
 * can still be written only within that window; a retry then creates a second job, never a lost one.
 */
@Service
public class JobSubmitter {

    private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);

    private static final Executor SEND_WORKERS = task -> Schedulers.boundedElastic().schedule(task);

    private final KafkaTemplate<String, JobCommand> template;
    private final ApiProperties properties;
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();

    public JobSubmitter(KafkaTemplate<String, JobCommand> template, ApiProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    /** The PENDING view of the new job, emitted after Kafka acknowledged its {@code JobSubmitted}. */
    public Mono<JobView> submit(SubmitJobRequest request, String requestId) {
        return Mono.defer(() -> {
            String jobId = ids.generate().toString();
            // Avro keeps milliseconds: answer with exactly what the projection will show later
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            JobSubmitted submitted = JobSubmitted.newBuilder()
                    .setJobId(jobId)
                    .setOwner(properties.owner())
                    .setWorkflow(request.workflow())
                    .setParameters(request.parameters())
                    .setSubmittedAt(now)
                    .setRequestId(requestId)
                    .build();
            JobCommand command = JobCommand.newBuilder().setJobId(jobId).setCommand(submitted).build();
            JobView pending = new JobView(jobId, properties.owner(), request.workflow(), request.parameters(),
                    JobStatus.PENDING.name(), 0, now, null, null, null, null, now);
            Duration ackTimeout = properties.kafkaAckTimeout();
            // suppressCancel: when the timeout fires, the blocked send is left to end by itself (max.block.ms),
            // not interrupted (the producer would only throw InterruptException into nowhere); the outcome is a
            // value, never an error, so a late failure after the timeout is dropped silently
            return Mono.fromFuture(() -> sendOffTheEventLoop(jobId, command), true)
                    .timeout(ackTimeout)
                    .flatMap(outcome -> outcome.error() == null ? Mono.just(outcome.result()) : Mono.error(outcome.error()))
                    .doOnNext(result -> log.debug("job {} submitted at {}-{}@{}", jobId,
                            result.getRecordMetadata().topic(), result.getRecordMetadata().partition(),
                            result.getRecordMetadata().offset()))
                    .onErrorMap(error -> !(error instanceof ApiProblemException),
                            error -> ApiProblemException.unavailable(reason(error, ackTimeout),
                                    properties.retryAfter(), error))
                    .thenReturn(pending);
        });
    }

    /**
     * Calls {@code send} on a bounded-elastic worker; the returned future completes with Kafka's acknowledgement.
     * When all workers are busy and the queue is full the scheduler refuses the task, which ends as a 503 too.
     */
    private CompletableFuture<Outcome> sendOffTheEventLoop(String jobId, JobCommand command) {
        return CompletableFuture
                .supplyAsync(() -> template.send(Topics.COMMANDS.name(), jobId, command), SEND_WORKERS)
                .thenCompose(sent -> sent)
                .handle(Outcome::new);
    }

    private record Outcome(SendResult<String, JobCommand> result, Throwable error) {
    }

    private static String reason(Throwable error, Duration ackTimeout) {
        boolean timedOut = false;
        for (Throwable e = error; e != null && !timedOut; e = e.getCause() == e ? null : e.getCause()) {
            timedOut = e instanceof TimeoutException || e instanceof org.apache.kafka.common.errors.TimeoutException;
        }
        if (timedOut) {
            return "The job could not be recorded: Kafka did not acknowledge it within " + ackTimeout.toMillis()
                    + " ms. Retry later.";
        }
        return "The job could not be recorded: Kafka is unavailable. Retry later.";
    }
}
