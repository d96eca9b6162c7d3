package io.jobline.processor.runner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.jobline.processor.events.JobEvents;
import io.jobline.processor.events.JobRecords;
import io.jobline.processor.pipeline.RunListener;
import io.jobline.schemas.JobLogChunk;

/**
 * What one running attempt has reported and not yet written: its latest progress and its new output lines. Lines are
 * numbered from 1 within the attempt; a line longer than {@link #MAX_LINE_CHARS} is cut, and lines past the attempt's
 * cap are dropped after one line saying so.
 */
final class AttemptReport implements RunListener {

    static final int MAX_LINE_CHARS = 4096;
    static final int MAX_CHUNK_LINES = 200;

    private final String jobId;
    private final int attempt;
    private final String worker;
    private final int maxLines;
    private final List<String> pendingLines = new ArrayList<>();
    private long firstPendingLine = 1;
    private long acceptedLines;
    private boolean truncated;
    private Progress pendingProgress;
    private Taken taken;
    private volatile Instant lastEventAt;

    AttemptReport(String jobId, int attempt, String worker, int maxLines, Instant startedAt) {
        this.jobId = jobId;
        this.attempt = attempt;
        this.worker = worker;
        this.maxLines = maxLines;
        this.lastEventAt = startedAt;
    }

    @Override
    public synchronized void progress(int done, int total) {
        pendingProgress = new Progress(done, total);
    }

    @Override
    public synchronized void logLine(String line) {
        if (acceptedLines >= maxLines) {
            if (!truncated) {
                truncated = true;
                pendingLines.add("[jobline] output truncated: only the first " + maxLines + " lines are kept");
            }
            return;
        }
        acceptedLines++;
        pendingLines.add(line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "…");
    }

    /** Whether no event of this attempt has been written since the given time: it is due a heartbeat. */
    boolean quietSince(Instant since) {
        return !lastEventAt.isAfter(since);
    }

    /**
     * Takes the pending records: log chunks, then the latest progress, or else a heartbeat when asked for. Until
     * {@link #written} or {@link #restore} is called, they are held to be put back if the write fails.
     */
    synchronized List<ProducerRecord<String, Object>> take(Instant now, boolean heartbeat) {
        List<ProducerRecord<String, Object>> records = new ArrayList<>();
        for (int from = 0; from < pendingLines.size(); from += MAX_CHUNK_LINES) {
            int to = Math.min(pendingLines.size(), from + MAX_CHUNK_LINES);
            List<String> lines = List.copyOf(pendingLines.subList(from, to));
            records.add(JobRecords.logChunk(JobLogChunk.newBuilder().setJobId(jobId).setAttempt(attempt)
                    .setFirstLine(firstPendingLine + from).setLines(lines).setAt(now).build()));
        }
        boolean event = pendingProgress != null || heartbeat;
        if (pendingProgress != null) {
            records.add(JobRecords.event(
                    JobEvents.progress(jobId, attempt, pendingProgress.done(), pendingProgress.total(), now)));
        } else if (heartbeat) {
            records.add(JobRecords.event(JobEvents.heartbeat(jobId, attempt, worker, now)));
        }
        taken = new Taken(List.copyOf(pendingLines), firstPendingLine, pendingProgress, event);
        firstPendingLine += pendingLines.size();
        pendingLines.clear();
        pendingProgress = null;
        return records;
    }

    synchronized void written(Instant at) {
        if (taken != null && taken.event()) {
            lastEventAt = at;
        }
        taken = null;
    }

    /** Puts back what the last {@link #take} took, because it could not be written. */
    synchronized void restore() {
        if (taken == null) {
            return;
        }
        pendingLines.addAll(0, taken.lines());
        firstPendingLine = taken.firstLine();
        if (pendingProgress == null) {
            pendingProgress = taken.progress();
        }
        taken = null;
    }

    private record Progress(int done, int total) {
    }

    private record Taken(List<String> lines, long firstLine, Progress progress, boolean event) {
    }
}
