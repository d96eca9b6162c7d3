package io.jobline.projection.listing;

import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;

/**
 * What a listing asks for: all filters combine.
 *
 * @param owner     only jobs of this owner, or null for every owner's
 * @param status    only jobs in this status, or null
 * @param workflow  only jobs of this workflow, or null
 * @param submitted only jobs submitted in this range (by their id)
 * @param after     only ids strictly below this one (the cursor), or null
 * @param limit     at most this many items (≥ 1)
 */
public record ListingQuery(String owner, JobStatus status, String workflow, TimeRange submitted, String after, int limit) {

    public ListingQuery {
        if (submitted == null) {
            submitted = TimeRange.ALL;
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    /** The dimension whose index holds exactly the jobs of the owner, status and workflow filters. */
    public Dimension dimension() {
        return Dimension.of(owner, status, workflow);
    }

    /** Whether a view (read after its index entry) still matches the owner, status and workflow filters. */
    boolean matches(JobStatusView view) {
        return view != null
                && (owner == null || owner.equals(view.getOwner()))
                && (status == null || view.getStatus() == status)
                && (workflow == null || workflow.equals(view.getWorkflow()));
    }
}
