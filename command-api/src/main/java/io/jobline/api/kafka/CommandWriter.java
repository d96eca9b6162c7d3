package io.jobline.api.kafka;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import io.jobline.api.ApiProperties;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.Topics;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes a command to {@code jobline.commands}, keyed by its job id, and completes only once Kafka acknowledged it
 * ({@code acks=all}, idempotent producer): the one send path of every command the API writes.
 *
 * <p>{@code KafkaProducer.send} may block the calling thread while it waits for metadata (up to
 * {@code max.block.ms}), so it is called on the bounded-elastic scheduler, never on a Netty event loop. If no
 * acknowledgement arrives within {@code jobline.api.kafka-ack-timeout} the result is a 503 problem with
 * {@code Retry-After}. The producer's own timeouts are bounded by the same value (see {@link KafkaConfig}), so a
 * record the client was told failed can still be written only within that window.
 */
@Component
public class CommandWriter {

    private static final Logger log = LoggerFactory.getLogger(CommandWriter.class);

    private static final Executor SEND_WORKERS = task -> Schedulers.boundedElastic().schedule(task);

    private final KafkaTemplate<String, JobCommand> template;
    private final ApiProperties properties;

    public CommandWriter(KafkaTemplate<String, JobCommand> template, ApiProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    /**
     * Completes empty once Kafka acknowledged {@code command}, or fails with a 503 problem whose detail starts with
     * {@code what} (for example "The job" or "The cancel request") followed by "could not be recorded".
     */
    public Mono<Void> write(JobCommand command, String what) {
        String jobId = command.getJobId();
        Duration ackTimeout = properties.kafkaAckTimeout();
        // suppressCancel: when the timeout fires, the blocked send is left to end by itself (max.block.ms),
        // not interrupted (the producer would only throw InterruptException into nowhere); the outcome is a
        // value, never an error, so a late failure after the timeout is dropped silently
        return Mono.fromFuture(() -> sendOffTheEventLoop(jobId, command), true)
                .timeout(ackTimeout)
                .flatMap(outcome -> outcome.error() == null ? Mono.just(outcome.result()) : Mono.error(outcome.error()))
                .doOnNext(result -> log.debug("{} of job {} written at {}-{}@{}",
                        command.getCommand().getClass().getSimpleName(), jobId, result.getRecordMetadata().topic(),
                        result.getRecordMetadata().partition(), result.getRecordMetadata().offset()))
                .onErrorMap(error -> !(error instanceof ApiProblemException),
                        error -> ApiProblemException.unavailable(reason(what, error, ackTimeout),
                                properties.retryAfter(), error))
                .then();
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

    private static String reason(String what, Throwable error, Duration ackTimeout) {
        boolean timedOut = false;
        for (Throwable e = error; e != null && !timedOut; e = e.getCause() == e ? null : e.getCause()) {
            timedOut = e instanceof TimeoutException || e instanceof org.apache.kafka.common.errors.TimeoutException;
        }
        if (timedOut) {
            return what + " could not be recorded: Kafka did not acknowledge it within " + ackTimeout.toMillis()
                    + " ms. Retry later.";
        }
        return what + " could not be recorded: Kafka is unavailable. Retry later.";
    }
}
