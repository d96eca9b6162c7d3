package io.jobline.api.submit;

import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Service;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import io.jobline.api.ApiProperties;
import io.jobline.api.kafka.CommandWriter;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobSubmitted;
import reactor.core.publisher.Mono;

/**
 * Turns a validated request into a {@code JobSubmitted} command on {@code jobline.commands}, keyed by a new
 * UUIDv7 job id, and completes only once Kafka acknowledged it (see {@link CommandWriter}: 503 when it does not
 * in time). A client that retries after a 503 may create a second job, never a lost one.
 *
 * <p>{@code submittedAt} is the millisecond timestamp embedded in the id, so id order is submission order and a
 * range of submission times is a range of ids (the projection lists by id).
 */
@Service
public class JobSubmitter {

    private final CommandWriter commands;
    private final ApiProperties properties;
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();

    public JobSubmitter(CommandWriter commands, ApiProperties properties) {
        this.commands = commands;
        this.properties = properties;
    }

    /** The PENDING view of the new job, emitted after Kafka acknowledged its {@code JobSubmitted}. */
    public Mono<JobView> submit(SubmitJobRequest request, String requestId) {
        return Mono.defer(() -> {
            UUID id = ids.generate();
            String jobId = id.toString();
            Instant submittedAt = submittedAt(id);
            JobSubmitted submitted = JobSubmitted.newBuilder()
                    .setJobId(jobId)
                    .setOwner(properties.owner())
                    .setWorkflow(request.workflow())
                    .setParameters(request.parameters())
                    .setSubmittedAt(submittedAt)
                    .setRequestId(requestId)
                    .build();
            JobCommand command = JobCommand.newBuilder().setJobId(jobId).setCommand(submitted).build();
            return commands.write(command, "The job")
                    .thenReturn(JobView.submitted(jobId, properties.owner(), request.workflow(), request.parameters(), submittedAt));
        });
    }

    /** The instant a UUIDv7 was generated: its first 48 bits, milliseconds since the epoch (whole ms, like Avro's). */
    static Instant submittedAt(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("not a UUIDv7: " + id);
        }
        return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }
}
