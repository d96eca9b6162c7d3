package io.jobline.processor.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.processor.events.JobEvents;
import io.jobline.processor.poison.JobRecordCheck;
import io.jobline.processor.poison.UnusableRecordException;
import io.jobline.processor.supervisor.SupervisedJob.Phase;
import io.jobline.schemas.FailureKind;
import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobSubmitted;

/**
 * Follows every job from its commands and events, per partition, and makes sure none is left behind: a running attempt
 * whose worker shows no sign of life for {@code lost-after} is ended {@code WORKER_LOST} (or {@code JobCancelled}
 * when a cancel was asked for), and a retryable failure is followed, after a backoff, by an automatic
 * {@code JobRetryRequested} for the next attempt, until the job runs out of attempts.
 *
 * <p>Its outputs are {@link JobEvent}s and {@link JobCommand}s, routed to their topics by the topology. It sees its own
 * outputs come back on its input topics and treats them like any other record.
 *
 * <p>A record that does not name its job consistently ({@link JobRecordCheck}) throws
 * {@link UnusableRecordException}: the app's processing exception handler writes it to {@code jobline.dlq} and the
 * stream goes on.
 */
final class Supervisor implements Processor<String, Object, String, Object> {

    static final String REQUESTED_BY = "jobline";
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final SupervisorProperties properties;
    private final String storeName;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SupervisedJob> jobs;
    /** Nothing is declared lost until this instance has been in charge for {@code lost-after}. */
    private long inChargeSince;

    Supervisor(SupervisorProperties properties, String storeName) {
        this.properties = properties;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.jobs = context.getStateStore(storeName);
        this.inChargeSince = context.currentSystemTimeMs();
        context.schedule(properties.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = record.value();
        if (value instanceof JobCommand command) {
            JobRecordCheck.requireApplicable(record.key(), command);
            onCommand(command.getCommand());
        } else if (value instanceof JobEvent event) {
            JobRecordCheck.requireApplicable(record.key(), event);
            onEvent(event.getEvent());
        } else {
            throw new UnusableRecordException("the record keyed " + record.key() + " has no value");
        }
    }

    private void onCommand(Object command) {
        if (command instanceof JobSubmitted submitted) {
            if (jobs.get(submitted.getJobId()) == null) {
                jobs.put(submitted.getJobId(), SupervisedJob.pending(submitted.getJobId(), submitted.getOwner(),
                        submitted.getWorkflow(), submitted.getParameters(), 0));
            }
        } else if (command instanceof JobRetryRequested retry) {
            SupervisedJob job = jobs.get(retry.getJobId());
            if (job == null || job.attempt() < retry.getAttempt()) {
                jobs.put(retry.getJobId(), SupervisedJob.pending(retry.getJobId(), retry.getOwner(),
                        retry.getWorkflow(), retry.getParameters(), retry.getAttempt()));
            }
        } else if (command instanceof JobCancelRequested cancel) {
            SupervisedJob job = jobs.get(cancel.getJobId());
            if (job != null && job.phase() != Phase.RETRY_SCHEDULED) {
                jobs.put(job.jobId(), job.cancelRequested(cancel.getRequestedBy()));
            }
        }
    }

    private void onEvent(Object event) {
        if (event instanceof JobStarted started) {
            SupervisedJob job = jobs.get(started.getJobId());
            if (job != null && started.getAttempt() >= job.attempt()) {
                jobs.put(job.jobId(), job.running(started.getAttempt(), started.getWorker(),
                        started.getStartedAt().toEpochMilli()));
            }
        } else if (event instanceof JobHeartbeat heartbeat) {
            seen(heartbeat.getJobId(), heartbeat.getAttempt(), heartbeat.getAt());
        } else if (event instanceof JobProgress progress) {
            seen(progress.getJobId(), progress.getAttempt(), progress.getAt());
        } else if (event instanceof JobCompleted completed) {
            ended(completed.getJobId(), completed.getAttempt());
        } else if (event instanceof JobCancelled cancelled) {
            ended(cancelled.getJobId(), cancelled.getAttempt());
        } else if (event instanceof JobFailed failed) {
            onFailed(failed);
        }
    }

    private void seen(String jobId, int attempt, Instant at) {
        SupervisedJob job = jobs.get(jobId);
        if (job != null && job.attempt() == attempt && job.phase() == Phase.RUNNING) {
            jobs.put(jobId, job.seen(at.toEpochMilli()));
        }
    }

    /** The first end of an attempt counts: a late one after the attempt was reported lost does not undo its retry. */
    private void ended(String jobId, int attempt) {
        SupervisedJob job = jobs.get(jobId);
        if (job != null && attempt >= job.attempt() && job.phase() != Phase.RETRY_SCHEDULED) {
            jobs.delete(jobId);
        }
    }

    private void onFailed(JobFailed failed) {
        SupervisedJob job = jobs.get(failed.getJobId());
        if (job == null || failed.getAttempt() < job.attempt() || job.phase() == Phase.RETRY_SCHEDULED) {
            return;
        }
        FailureKind kind = failed.getFailure().getKind();
        int attempt = failed.getAttempt();
        if (!properties.retryKinds().contains(kind) || attempt >= properties.maxAttempts()
                || job.cancelRequestedBy() != null) {
            jobs.delete(job.jobId());
            return;
        }
        Duration backoff = properties.backoffBefore(attempt + 1);
        String reason = "attempt " + attempt + " failed with " + kind + ": " + failed.getFailure().getReason();
        jobs.put(job.jobId(), job.retryScheduled(attempt, context.currentSystemTimeMs() + backoff.toMillis(), reason));
        log.info("job {}: {}; retrying in {} as attempt {} of {}", job.jobId(), reason, backoff, attempt + 1,
                properties.maxAttempts());
    }

    /** The punctuation: ends attempts whose worker was lost and requests the retries that are due. */
    private void check(long now) {
        List<KeyValue<String, SupervisedJob>> due = new ArrayList<>();
        try (KeyValueIterator<String, SupervisedJob> all = jobs.all()) {
            all.forEachRemaining(entry -> {
                if (isLost(entry.value, now) || isRetryDue(entry.value, now)) {
                    due.add(entry);
                }
            });
        }
        for (KeyValue<String, SupervisedJob> entry : due) {
            if (entry.value.phase() == Phase.RUNNING) {
                reportLost(entry.value, now);
            } else {
                requestRetry(entry.value, now);
            }
        }
    }

    private boolean isLost(SupervisedJob job, long now) {
        long lostAfter = properties.lostAfter().toMillis();
        return job.phase() == Phase.RUNNING && now - Math.max(job.lastSeenAt(), inChargeSince) > lostAfter;
    }

    private static boolean isRetryDue(SupervisedJob job, long now) {
        return job.phase() == Phase.RETRY_SCHEDULED && job.retryAt() <= now;
    }

    private void reportLost(SupervisedJob job, long now) {
        Instant at = Instant.ofEpochMilli(now);
        Instant lastSeen = Instant.ofEpochMilli(job.lastSeenAt());
        JobEvent event = job.cancelRequestedBy() != null
                ? JobEvents.cancelled(job.jobId(), job.attempt(), lastSeen, at, job.cancelRequestedBy(), List.of())
                : JobEvents.failed(job.jobId(), job.attempt(), lastSeen, at, FailureKind.WORKER_LOST,
                        "worker " + job.worker() + " showed no sign of life for " + properties.lostAfter()
                                + " (last at " + lastSeen + ")",
                        null);
        log.warn("job {} attempt {}: worker {} is lost", job.jobId(), job.attempt(), job.worker());
        jobs.put(job.jobId(), job.lostReported());
        context.forward(new Record<>(job.jobId(), event, now));
    }

    private void requestRetry(SupervisedJob job, long now) {
        int next = job.attempt() + 1;
        JobRetryRequested retry = JobRetryRequested.newBuilder().setJobId(job.jobId()).setAttempt(next)
                .setOwner(job.owner()).setWorkflow(job.workflow()).setParameters(job.parameters())
                .setRequestedBy(REQUESTED_BY).setRequestedAt(Instant.ofEpochMilli(now))
                .setRequestId(UUID.randomUUID().toString()).setAutomatic(true).setReason(job.retryReason()).build();
        jobs.put(job.jobId(), SupervisedJob.pending(job.jobId(), job.owner(), job.workflow(), job.parameters(), next));
        context.forward(new Record<>(job.jobId(), JobCommand.newBuilder().setJobId(job.jobId()).setCommand(retry)
                .build(), now));
    }
}
