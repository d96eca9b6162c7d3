package io.jobline.api.feed;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jobline.api.problem.ApiProblemException;

/**
 * The event id of a one-job stream, {@code <partition>-<offset>-<version>}: the Kafka position in the partition of
 * {@code jobline.job-status} that holds the job (the offset after the last record the stream looked at), and the
 * version of the last view it sent. Any instance resumes from it exactly: it reads the job's records from that
 * position on and skips views not newer than that version (which only matters after the first event, whose view
 * came from the projection and may reach Kafka a moment later).
 */
record JobCursor(int partition, long offset, long version) {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})-(\\d{1,19})-(\\d{1,19})");

    static JobCursor parse(String value) {
        Matcher matcher = FORMAT.matcher(value.strip());
        if (!matcher.matches()) {
            throw invalid("is not an event id of a job stream (<partition>-<offset>-<version>)");
        }
        try {
            return new JobCursor(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)),
                    Long.parseLong(matcher.group(3)));
        } catch (NumberFormatException e) {
            throw invalid("is out of range");
        }
    }

    static ApiProblemException invalid(String why) {
        return ApiProblemException.invalid(Cursors.LAST_EVENT_ID, why);
    }

    @Override
    public String toString() {
        return partition + "-" + offset + "-" + version;
    }
}
