package io.jobline.projection.listing;

import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;

/**
 * What a listing asks for: all filters combine.
 *
 * @param status    only jobs in this status, or null
 * @param workflow  only jobs of this workflow, or null
 * @param submitted only jobs submitted in this range (by their id)
 * @param after     only ids strictly below this one (the cursor), or null
 * @param limit     at most this many items (≥ 1)
 */
public record ListingQuery(JobStatus status, String workflow, TimeRange submitted, String after, int limit) {

    public ListingQuery {
        if (submitted == null) {
            submitted = TimeRange.ALL;
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    /** The dimension whose index holds exactly the jobs of the status and workflow filters. */
    public Dimension dimension() {
        return Dimension.of(status, workflow);
    }

    /** Whether a view (read after its index entry) still matches the status and workflow filters. */
    boolean matches(JobStatusView view) {
        return view != null
                && (status == null || view.getStatus() == status)
                && (workflow == null || workflow.equals(view.getWorkflow()));
    }
}
