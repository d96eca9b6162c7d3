package io.jobline.api.action;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Service;

import io.jobline.api.kafka.CommandWriter;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.query.JobAccess;
import io.jobline.api.security.Caller;
import io.jobline.api.submit.AllowedWorkflows;
import io.jobline.api.view.JobView;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobRetryRequested;
import reactor.core.publisher.Mono;

/**
 * Cancel and retry of an existing job. Each reads the job's current view through the projection (404 when there is
 * no such job or it is another owner's and the caller no admin, 503 when the projection cannot answer), checks the
 * lifecycle rules, and writes its command, requested by the caller's owner, through
 * the {@link CommandWriter} (503 when Kafka does not acknowledge in time). The answer is the view the projection
 * will show once it has folded the command.
 *
 * <p>The check reads a view that may be a moment old; the projection applies the same rules again when it folds
 * the command, so a request that races with the job's end changes nothing there.
 */
@Service
public class JobActions {

    private static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "CANCELLED");
    private static final Set<String> CANCELLABLE = Set.of("PENDING", "RUNNING");
    private static final Set<String> RETRYABLE = Set.of("FAILED", "CANCELLED");

    private final JobAccess jobs;
    private final CommandWriter commands;
    private final AllowedWorkflows workflows;

    public JobActions(JobAccess jobs, CommandWriter commands, AllowedWorkflows workflows) {
        this.jobs = jobs;
        this.commands = commands;
        this.workflows = workflows;
    }

    /** What the API did with a request: the job's view to answer with, and whether a command was written. */
    public record Outcome(JobView view, boolean recorded) {
    }

    /**
     * PENDING or RUNNING: writes {@code JobCancelRequested} and answers the CANCELLING view. CANCELLING: nothing to
     * write, the view as it is. Finished: 409.
     */
    public Mono<Outcome> cancel(String jobId, String requestId, Caller caller) {
        return jobs.job(jobId, caller).flatMap(view -> {
            String status = view.status();
            if ("CANCELLING".equals(status)) {
                return Mono.just(new Outcome(view, false));
            }
            if (FINISHED.contains(status)) {
                return Mono.error(conflict("Job " + jobId + " has already finished (status " + status
                        + "): there is nothing to cancel.", status));
            }
            if (!CANCELLABLE.contains(status)) {
                return Mono.error(conflict("Job " + jobId + " cannot be cancelled in status " + status + ".", status));
            }
            Instant now = now();
            JobCancelRequested cancel = JobCancelRequested.newBuilder()
                    .setJobId(jobId)
                    .setRequestedBy(caller.owner())
                    .setRequestedAt(now)
                    .setRequestId(requestId)
                    .build();
            return commands.write(JobCommand.newBuilder().setJobId(jobId).setCommand(cancel).build(), "The cancel request")
                    .thenReturn(new Outcome(view.withCancelRequested(caller.owner(), now), true));
        });
    }

    /**
     * FAILED or CANCELLED: writes {@code JobRetryRequested} for attempt n+1 with the job's spec and answers the
     * PENDING view of that attempt. Any other status, or a workflow no longer allowed: 409.
     */
    public Mono<Outcome> retry(String jobId, String requestId, Caller caller) {
        return jobs.job(jobId, caller).flatMap(view -> {
            String status = view.status();
            if (!RETRYABLE.contains(status)) {
                return Mono.error(conflict("Job " + jobId + " is " + status
                        + ": only a FAILED or CANCELLED job can be retried.", status));
            }
            if (!workflows.allows(view.workflow())) {
                return Mono.error(conflict("Job " + jobId + " runs workflow " + view.workflow()
                        + ", which is no longer allowed (allowed: " + workflows.names() + ").", status));
            }
            int attempt = Math.max(view.attempt() + 1, 1);
            Instant now = now();
            JobRetryRequested retry = JobRetryRequested.newBuilder()
                    .setJobId(jobId)
                    .setAttempt(attempt)
                    .setOwner(view.owner())
                    .setWorkflow(view.workflow())
                    .setParameters(view.parameters() == null ? Map.of() : view.parameters())
                    .setRequestedBy(caller.owner())
                    .setRequestedAt(now)
                    .setRequestId(requestId)
                    .setAutomatic(false)
                    .build();
            return commands.write(JobCommand.newBuilder().setJobId(jobId).setCommand(retry).build(), "The retry request")
                    .thenReturn(new Outcome(view.withRetryRequested(attempt, now), true));
        });
    }

    private static ApiProblemException conflict(String detail, String status) {
        return ApiProblemException.conflict(detail, Map.of("jobStatus", String.valueOf(status)));
    }

    /** Avro keeps milliseconds: answer with exactly what the projection will show later. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
