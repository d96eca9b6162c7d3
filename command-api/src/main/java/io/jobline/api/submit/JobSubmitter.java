package io.jobline.api.submit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
            return commands.write(command, "The job")
                    .thenReturn(JobView.submitted(jobId, properties.owner(), request.workflow(), request.parameters(), now));
        });
    }
}
