package io.jobline.api.submit;

import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Service;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import io.jobline.api.kafka.CommandWriter;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobSubmitted;
import io.jobline.schemas.Partitions;
import reactor.core.publisher.Mono;

/**
 * Turns a validated request into a {@code JobSubmitted} command on {@code jobline.commands}, keyed by a new
 * UUIDv7 job id, and completes only once Kafka acknowledged it (see {@link CommandWriter}: 503 when it does not
 * in time). A client that retries after a 503 without an {@code Idempotency-Key} may create a second job, never a
 * lost one; with a key, {@link IdempotentSubmitter} makes the retry find the first job.
 *
 * <p>{@code submittedAt} is the millisecond timestamp embedded in the id, so id order is submission order and a
 * range of submission times is a range of ids (the projection lists by id).
 */
@Service
public class JobSubmitter {

    private final CommandWriter commands;
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();

    public JobSubmitter(CommandWriter commands) {
        this.commands = commands;
    }

    /** The PENDING view of a new job of {@code owner}, emitted after Kafka acknowledged its {@code JobSubmitted}. */
    public Mono<JobView> submit(SubmitJobRequest request, String requestId, String owner) {
        return Mono.defer(() -> write(ids.generate(), request, requestId, owner, null, null));
    }

    /**
     * A new job id whose records land on {@code partition} of a topic of {@code partitions} partitions (Kafka's
     * default partitioner, {@link Partitions#of}): a few ids on average, as many as there are partitions.
     */
    UUID newJobIdOn(int partition, int partitions) {
        for (long tries = 0; tries < 1000L * partitions; tries++) {
            UUID id = ids.generate();
            if (Partitions.of(id.toString(), partitions) == partition) {
                return id;
            }
        }
        throw new IllegalStateException("found no job id for partition " + partition + " of " + partitions);
    }

    /**
     * Writes the {@code JobSubmitted} of job {@code id}; {@code idempotencyKey} and {@code fingerprint} are null for
     * a request without an {@code Idempotency-Key}.
     */
    Mono<JobView> write(UUID id, SubmitJobRequest request, String requestId, String owner, String idempotencyKey,
            String fingerprint) {
        String jobId = id.toString();
        Instant submittedAt = submittedAt(id);
        JobSubmitted submitted = JobSubmitted.newBuilder()
                .setJobId(jobId)
                .setOwner(owner)
                .setWorkflow(request.workflow())
                .setParameters(request.parameters())
                .setSubmittedAt(submittedAt)
                .setRequestId(requestId)
                .setIdempotencyKey(idempotencyKey)
                .setRequestFingerprint(fingerprint)
                .build();
        JobCommand command = JobCommand.newBuilder().setJobId(jobId).setCommand(submitted).build();
        return commands.write(command, "The job")
                .thenReturn(JobView.submitted(jobId, owner, request.workflow(), request.parameters(), submittedAt));
    }

    /** The instant a UUIDv7 was generated: its first 48 bits, milliseconds since the epoch (whole ms, like Avro's). */
    static Instant submittedAt(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("not a UUIDv7: " + id);
        }
        return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }
}
