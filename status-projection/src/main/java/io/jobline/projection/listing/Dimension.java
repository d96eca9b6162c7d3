package io.jobline.projection.listing;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;

/**
 * A set of jobs a listing can ask for, named like {@code all}, {@code status/RUNNING}, {@code workflow/mock} or
 * {@code workflow-status/mock/RUNNING}. Each job is in {@code all}, in the dimension of its status and, once its
 * workflow is known, in those of its workflow and of its workflow and status. The name prefixes the job's key
 * in the {@code job-index} store ({@code <name>/<jobId>}) and names its counts in {@code job-counts}.
 *
 * <p>Workflow names are escaped (every character but {@code [A-Za-z0-9._-]} as {@code %XX} of its UTF-8
 * bytes), so that a name never holds the separator {@code /} and one dimension's keys never fall into
 * another's range.
 */
public record Dimension(String name) {

    public static final Dimension ALL = new Dimension("all");

    static final char SEPARATOR = '/';

    /** The dimension a listing with these filters reads; either filter may be null. */
    public static Dimension of(JobStatus status, String workflow) {
        if (workflow == null) {
            return status == null ? ALL : new Dimension("status/" + status.name());
        }
        String segment = escape(workflow);
        return status == null ? new Dimension("workflow/" + segment)
                : new Dimension("workflow-status/" + segment + SEPARATOR + status.name());
    }

    /** Every dimension the job is in. */
    public static Set<Dimension> of(JobStatusView view) {
        Set<Dimension> dimensions = new LinkedHashSet<>(4);
        dimensions.add(ALL);
        dimensions.add(of(view.getStatus(), null));
        if (view.getWorkflow() != null) {
            dimensions.add(of(null, view.getWorkflow()));
            dimensions.add(of(view.getStatus(), view.getWorkflow()));
        }
        return dimensions;
    }

    /** The job's key in the index. */
    public String indexKey(String jobId) {
        return indexPrefix() + jobId;
    }

    /** The prefix of every index key of this dimension. */
    public String indexPrefix() {
        return name + SEPARATOR;
    }

    static String escape(String workflow) {
        StringBuilder escaped = new StringBuilder(workflow.length());
        for (byte b : workflow.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-') {
                escaped.append(c);
            } else {
                escaped.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return escaped.toString();
    }
}
