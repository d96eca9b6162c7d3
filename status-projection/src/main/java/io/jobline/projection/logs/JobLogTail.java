package io.jobline.projection.logs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobline.schemas.JobLogChunk;

/**
 * The last lines of one attempt's log, read backwards from the end of its range in the {@code job-logs}
 * store: a tail costs the chunks it returns, however long the log.
 *
 * @param attempt    the attempt whose lines these are
 * @param firstLine  the number of {@code lines[0]} in the attempt's log (1 when there are no lines)
 * @param lines      oldest first
 * @param totalLines the number of the attempt's last line known so far (0 when none)
 */
public record JobLogTail(int attempt, long firstLine, List<String> lines, long totalLines) {

    public JobLogTail {
        lines = List.copyOf(lines);
    }

    /** At most the last {@code limit} lines of {@code attempt}. */
    public static JobLogTail read(ReadOnlyKeyValueStore<String, JobLogChunk> chunks, String jobId, int attempt, int limit) {
        List<List<String>> newestFirst = new ArrayList<>();
        long firstLine = 1;
        long totalLines = 0;
        int needed = limit;
        String prefix = LogKeys.attemptPrefix(jobId, attempt);
        try (KeyValueIterator<String, JobLogChunk> it = chunks.reverseRange(prefix, LogKeys.upperBound(prefix))) {
            while (it.hasNext() && needed > 0) {
                JobLogChunk chunk = it.next().value;
                List<String> lines = chunk.getLines().stream().map(CharSequence::toString).toList();
                if (lines.isEmpty()) {
                    continue;
                }
                if (totalLines == 0) {
                    totalLines = chunk.getFirstLine() + lines.size() - 1;
                }
                int skip = Math.max(0, lines.size() - needed);
                newestFirst.add(lines.subList(skip, lines.size()));
                firstLine = chunk.getFirstLine() + skip;
                needed -= lines.size() - skip;
            }
        }
        Collections.reverse(newestFirst);
        List<String> lines = new ArrayList<>(limit - needed);
        newestFirst.forEach(lines::addAll);
        return new JobLogTail(attempt, firstLine, lines, totalLines);
    }

    /** The highest attempt of the job that has lines in the store. */
    public static OptionalInt highestAttempt(ReadOnlyKeyValueStore<String, JobLogChunk> chunks, String jobId) {
        String prefix = LogKeys.jobPrefix(jobId);
        try (KeyValueIterator<String, JobLogChunk> it = chunks.reverseRange(prefix, LogKeys.upperBound(prefix))) {
            return it.hasNext() ? OptionalInt.of(LogKeys.attemptOf(it.next().key)) : OptionalInt.empty();
        }
    }
}
