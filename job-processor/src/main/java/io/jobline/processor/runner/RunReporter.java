package io.jobline.processor.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.processor.events.EventPublisher;
import io.jobline.processor.pipeline.JobSpec;
import io.jobline.processor.pipeline.RunListener;

/**
 * Writes what running attempts report between their start and their end: progress ({@code JobProgress}), output lines
 * ({@code jobline.logs}) and, for attempts with nothing else to say, {@code JobHeartbeat}s. Every report interval,
 * everything pending of all running attempts of this instance goes out in one Kafka transaction.
 *
 * <p>Before an attempt's terminal event is written, {@link #finish} hands over what it still has pending, so that the
 * terminal event's transaction carries it and nothing of the attempt follows its end.
 */
final class RunReporter {

    private static final Logger log = LoggerFactory.getLogger(RunReporter.class);

    private final EventPublisher publisher;
    private final String workerId;
    private final Duration heartbeatInterval;
    private final int maxLogLines;
    private final Clock clock;
    private final Map<String, AttemptReport> attempts = new ConcurrentHashMap<>();
    /** Held for a whole flush, so that {@link #finish} waits for records of the attempt that are being written. */
    private final Object flushLock = new Object();
    private volatile ScheduledExecutorService scheduler;

    RunReporter(EventPublisher publisher, String workerId, Duration heartbeatInterval, int maxLogLines, Clock clock) {
        this.publisher = publisher;
        this.workerId = workerId;
        this.heartbeatInterval = heartbeatInterval;
        this.maxLogLines = maxLogLines;
        this.clock = clock;
    }

    /** Starts reporting an attempt that has just started; the listener collects what its pipeline reports. */
    RunListener report(JobSpec job, Instant startedAt) {
        AttemptReport report = new AttemptReport(job.jobId(), job.attempt(), workerId, maxLogLines, startedAt);
        attempts.put(job.jobId(), report);
        return report;
    }

    /** Stops reporting the attempt and returns what it still has pending, to go out before its terminal event. */
    List<ProducerRecord<String, Object>> finish(String jobId) {
        synchronized (flushLock) {
            AttemptReport report = attempts.remove(jobId);
            return report == null ? List.of() : report.take(now(), false);
        }
    }

    void start(Duration interval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("jobline-run-reporter-"));
        executor.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler = executor;
    }

    void stop() {
        ScheduledExecutorService executor = scheduler;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Writes everything pending, with a heartbeat for each attempt that has been quiet for a heartbeat interval. */
    void flush() {
        synchronized (flushLock) {
            Instant now = now();
            Instant quietSince = now.minus(heartbeatInterval);
            List<AttemptReport> taken = new ArrayList<>();
            List<ProducerRecord<String, Object>> records = new ArrayList<>();
            for (AttemptReport report : attempts.values()) {
                List<ProducerRecord<String, Object>> pending = report.take(now, report.quietSince(quietSince));
                if (!pending.isEmpty()) {
                    taken.add(report);
                    records.addAll(pending);
                }
            }
            if (records.isEmpty()) {
                return;
            }
            try {
                publisher.publishInOwnTransaction(records);
                taken.forEach(report -> report.written(now));
            } catch (RuntimeException e) {
                log.warn("could not write the progress and logs of {} running job(s); trying again later",
                        taken.size(), e);
                taken.forEach(AttemptReport::restore);
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.error("the run reporter failed", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
