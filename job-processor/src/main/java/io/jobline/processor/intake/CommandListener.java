package io.jobline.processor.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.jobline.processor.ProcessorProperties;
import io.jobline.processor.cancel.CancelRequests;
import io.jobline.processor.duplicates.SeenSubmissions;
import io.jobline.processor.events.EventPublisher;
import io.jobline.processor.events.JobEvents;
import io.jobline.processor.pipeline.CannotStartException;
import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.Pipeline;
import io.jobline.processor.pipeline.PipelineRegistry;
import io.jobline.processor.pipeline.PreparedRun;
import io.jobline.processor.poison.CommandDecoder;
import io.jobline.processor.poison.UnusableRecordException;
import io.jobline.processor.runner.JobRunner;
import io.jobline.processor.runner.Slot;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobSubmitted;

/**
 * Consumes {@code jobline.commands}, one record per poll, each in a Kafka transaction that also commits its offset.
 *
 * <p>For a {@code JobSubmitted} (attempt 1) or a {@code JobRetryRequested} (attempt n+1): when the workflow has a
 * pipeline that accepts the job, the {@code JobStarted} event is written in that transaction and the pipeline starts
 * once it committed; when the processor has no pipeline for the workflow, or the pipeline refuses the job (invalid
 * parameters), only a {@code JobFailed} of kind {@code CANNOT_START} (no start time) is written in that transaction:
 * the attempt never started, so no {@code JobStarted} precedes it. A job whose cancel request follows its start
 * command on the partition (it was cancelled while pending) gets a {@code JobCancelled} instead, and never starts.
 * A {@code JobCancelRequested} stops the job if it runs here.
 *
 * <p>A repeated submission (see {@link SeenSubmissions}: the same job id, or the same owner and idempotency key within
 * the idempotency window, at an earlier offset of the partition) is ignored: nothing is written, its offset commits.
 *
 * <p>Records arrive as bytes and are decoded here ({@link CommandDecoder}): one that cannot be decoded or applied
 * throws {@link UnusableRecordException}, and the container's after-rollback processor writes it to
 * {@code jobline.dlq} at once, with its original bytes (see {@link IntakeKafkaConfig}).
 *
 * <p>One consumer thread per instance ({@code concurrency = "1"}): handling a command takes milliseconds, instances
 * scale out through the partitions, and it keeps the pause-before-the-last-slot logic exact.
 */
@Component
public class CommandListener {

    /** The listener container's id in the {@code KafkaListenerEndpointRegistry}. */
    public static final String ID = "jobline-commands";

    static final int FIRST_ATTEMPT = 1;

    private static final Logger log = LoggerFactory.getLogger(CommandListener.class);

    private final PipelineRegistry pipelines;
    private final JobRunner runner;
    private final EventPublisher events;
    private final CancelRequests cancels;
    private final SeenSubmissions submissions;
    private final String workerId;
    private final Clock clock = Clock.systemUTC();

    public CommandListener(PipelineRegistry pipelines, JobRunner runner, EventPublisher events,
            CancelRequests cancels, SeenSubmissions submissions, ProcessorProperties properties) {
        this.pipelines = pipelines;
        this.runner = runner;
        this.events = events;
        this.cancels = cancels;
        this.submissions = submissions;
        this.workerId = properties.workerId();
    }

    @KafkaListener(id = ID, idIsGroup = false, concurrency = "1",
            topics = "#{T(io.jobline.schemas.Topics).COMMANDS.name()}")
    public void onCommand(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        JobCommand command = CommandDecoder.decode(record);
        Object payload = command.getCommand();
        if (payload instanceof JobSubmitted submitted) {
            Optional<String> repeated = submissions.repeated(record.partition(), record.offset(), submitted);
            if (repeated.isPresent()) {
                log.info("ignoring a repeated submission of job {} at {}-{}@{}: {}", submitted.getJobId(),
                        record.topic(), record.partition(), record.offset(), repeated.get());
                return;
            }
            onStart(JobSpec.of(submitted, FIRST_ATTEMPT), record.offset());
        } else if (payload instanceof JobRetryRequested retry) {
            runner.supersede(retry.getJobId(), retry.getAttempt());
            onStart(JobSpec.of(retry), record.offset());
        } else if (payload instanceof JobCancelRequested cancel) {
            // the cancel watch hears it too; this covers a job that started here since the watch read it
            cancels.record(cancel.getJobId(), record.offset(), cancel.getRequestedBy());
            runner.cancel(cancel.getJobId(), cancel.getRequestedBy());
        } else {
            log.info("skipping a command this processor does not handle: {} for job {} at {}-{}@{}",
                    payload == null ? "null" : payload.getClass().getSimpleName(),
                    command.getJobId(), record.topic(), record.partition(), record.offset());
        }
    }

    /** Starts an attempt of a job, unless it was cancelled meanwhile or cannot start. */
    private void onStart(JobSpec job, long commandOffset) throws InterruptedException {
        if (runner.isRunningJob(job.jobId(), job.attempt())) {
            log.warn("job {} attempt {} is already running on this worker: skipping a repeated start", job.jobId(),
                    job.attempt());
            return;
        }
        Optional<String> cancelledBy = cancels.requestedAfter(job.jobId(), commandOffset);
        if (cancelledBy.isPresent()) {
            log.info("job {} was cancelled by {} before attempt {} started", job.jobId(), cancelledBy.get(),
                    job.attempt());
            events.publishInCurrentTransaction(JobEvents.cancelled(job.jobId(), job.attempt(), null, now(),
                    cancelledBy.get(), List.of()));
            return;
        }
        Pipeline pipeline = pipelines.find(job.workflow()).orElse(null);
        if (pipeline == null) {
            cannotStart(job, "this processor has no pipeline for workflow '" + job.workflow() + "' (it runs "
                    + String.join(", ", pipelines.workflows()) + ")");
            return;
        }
        PreparedRun run;
        try {
            run = pipeline.prepare(job);
        } catch (CannotStartException e) {
            cannotStart(job, e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("job {}: the {} pipeline failed to prepare the run", job.jobId(), job.workflow(), e);
            fail(job, FailureKind.SYSTEM, "the " + job.workflow() + " pipeline failed to prepare the run: " + e);
            return;
        }
        start(job, commandOffset, run, pipeline.maxRunTime().orElse(null));
    }

    /** Writes {@code JobStarted} in the command's transaction, and launches the run once that committed. */
    private void start(JobSpec job, long commandOffset, PreparedRun run, Duration maxRunTime)
            throws InterruptedException {
        requireTransaction();
        Slot slot = runner.acquireSlot();
        boolean registered = false;
        try {
            Instant startedAt = now();
            events.publishInCurrentTransaction(JobEvents.started(job.jobId(), job.attempt(), startedAt, workerId));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    runner.launch(slot, job, startedAt, run, maxRunTime);
                    // a cancel the watch heard between the check above and the launch
                    cancels.requestedAfter(job.jobId(), commandOffset)
                            .ifPresent(requestedBy -> runner.cancel(job.jobId(), requestedBy));
                }

                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        log.warn("job {}: the transaction with its JobStarted did not commit; not starting it",
                                job.jobId());
                        slot.release();
                    }
                }
            });
            registered = true;
        } finally {
            if (!registered) {
                slot.release();
            }
        }
    }

    private void cannotStart(JobSpec job, String reason) {
        log.info("job {} cannot start: {}", job.jobId(), reason);
        fail(job, FailureKind.CANNOT_START, reason);
    }

    private void fail(JobSpec job, FailureKind kind, String reason) {
        events.publishInCurrentTransaction(
                JobEvents.failed(job.jobId(), job.attempt(), null, now(), kind, reason, null));
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("the command listener must run in a Kafka transaction "
                    + "(is spring.kafka.producer.transaction-id-prefix set?)");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
