package io.jobline.projection.watch;

import io.jobline.schemas.JobStatus;
import io.jobline.schemas.JobStatusView;

/**
 * What a long-poll waits for: a status, or a change past a version.
 *
 * @param status  the status to wait for, or null for a change
 * @param version for a change: answer once the view's version is greater than this (null: not fixed yet,
 *                the version of the view when the wait begins)
 */
public record WaitFor(JobStatus status, Long version) {

    public static WaitFor status(JobStatus status) {
        return new WaitFor(status, null);
    }

    public static WaitFor change(Long version) {
        return new WaitFor(null, version);
    }

    public boolean isChange() {
        return status == null;
    }

    /** The same wait, with the version to pass fixed (for a change without one). */
    public WaitFor from(JobStatusView current) {
        return isChange() && version == null ? change(current.getVersion()) : this;
    }

    /** Whether the view is what is waited for; a change without a fixed version is never satisfied. */
    public boolean satisfiedBy(JobStatusView view) {
        if (view == null) {
            return false;
        }
        return isChange() ? version != null && view.getVersion() > version : view.getStatus() == status;
    }

    /** {@link #satisfiedBy(JobStatusView)} for a view's status name and version. */
    public boolean satisfiedBy(String viewStatus, long viewVersion) {
        return isChange() ? version != null && viewVersion > version : status.name().equals(viewStatus);
    }

    /** The value of the {@code waitFor} parameter. */
    public String parameter() {
        return isChange() ? "change" : status.name();
    }
}
