package io.jobline.projection.listing;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;

/**
 * A set of jobs a listing can ask for, named like {@code all}, {@code status/RUNNING}, {@code workflow/mock} or
 * {@code workflow-status/mock/RUNNING}, and the same scoped to one owner: {@code owner/alice},
 * {@code owner-status/alice/RUNNING}, {@code owner-workflow/alice/mock}, {@code owner-workflow-status/alice/mock/RUNNING}.
 * Each job is in {@code all}, in the dimension of its status and, once its workflow is known, in those of its
 * workflow and of its workflow and status; once its owner is known, in the owner's version of each of these.
 * The name prefixes the job's key in the {@code job-index} store ({@code <name>/<jobId>}) and names its counts
 * in {@code job-counts}.
 *
 * <p>Owner and workflow names are escaped (every character but {@code [A-Za-z0-9._-]} as {@code %XX} of its
 * UTF-8 bytes), so that a name never holds the separator {@code /}: each kind of dimension has a fixed number
 * of segments, and one dimension's keys never fall into another's range (owner {@code al} never reaches into
 * {@code alice}, since the separator ends the segment).
 */
public record Dimension(String name) {

    public static final Dimension ALL = new Dimension("all");

    static final char SEPARATOR = '/';

    /** The dimension a listing with these filters reads, over all owners; either filter may be null. */
    public static Dimension of(JobStatus status, String workflow) {
        if (workflow == null) {
            return status == null ? ALL : new Dimension("status/" + status.name());
        }
        String segment = escape(workflow);
        return status == null ? new Dimension("workflow/" + segment)
                : new Dimension("workflow-status/" + segment + SEPARATOR + status.name());
    }

    /** The dimension a listing with these filters reads; any of them may be null (no owner: all owners). */
    public static Dimension of(String owner, JobStatus status, String workflow) {
        if (owner == null) {
            return of(status, workflow);
        }
        String ownerSegment = escape(owner);
        if (workflow == null) {
            return status == null ? new Dimension("owner/" + ownerSegment)
                    : new Dimension("owner-status/" + ownerSegment + SEPARATOR + status.name());
        }
        String workflowSegment = escape(workflow);
        return status == null ? new Dimension("owner-workflow/" + ownerSegment + SEPARATOR + workflowSegment)
                : new Dimension("owner-workflow-status/" + ownerSegment + SEPARATOR + workflowSegment + SEPARATOR
                        + status.name());
    }

    /** Every dimension the job is in. */
    public static Set<Dimension> of(JobStatusView view) {
        Set<Dimension> dimensions = new LinkedHashSet<>(8);
        addAll(dimensions, null, view);
        if (view.getOwner() != null) {
            addAll(dimensions, view.getOwner(), view);
        }
        return dimensions;
    }

    private static void addAll(Set<Dimension> dimensions, String owner, JobStatusView view) {
        dimensions.add(of(owner, null, null));
        dimensions.add(of(owner, view.getStatus(), null));
        if (view.getWorkflow() != null) {
            dimensions.add(of(owner, null, view.getWorkflow()));
            dimensions.add(of(owner, view.getStatus(), view.getWorkflow()));
        }
    }

    /** The job's key in the index. */
    public String indexKey(String jobId) {
        return indexPrefix() + jobId;
    }

    /** The prefix of every index key of this dimension. */
    public String indexPrefix() {
        return name + SEPARATOR;
    }

    static String escape(String name) {
        StringBuilder escaped = new StringBuilder(name.length());
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
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
