package io.jobline.api.query;

import org.springframework.stereotype.Component;

import io.jobline.api.security.Caller;
import io.jobline.api.view.JobView;
import reactor.core.publisher.Mono;

/**
 * Tenancy of job reads: a caller sees only its own jobs (an admin sees all). Another owner's job answers exactly
 * like a job that does not exist ({@link JobId#notFound}), so ids of other owners' jobs cannot be probed.
 */
@Component
public class JobAccess {

    private final ProjectionClient projection;

    public JobAccess(ProjectionClient projection) {
        this.projection = projection;
    }

    /** The job's current view, if {@code caller} may see it. */
    public Mono<JobView> job(String id, Caller caller) {
        return projection.job(id).flatMap(view -> visible(id, view, caller));
    }

    /**
     * Completes empty when {@code caller} may see the job, fails with the 404 otherwise; asks the projection only
     * for callers that are not admins (an admin's read finds out by itself whether the job exists).
     */
    public Mono<Void> check(String id, Caller caller) {
        return caller.isAdmin() ? Mono.empty() : job(id, caller).then();
    }

    /** {@code view} when {@code caller} may see it, else the 404 of job {@code id}. */
    public static Mono<JobView> visible(String id, JobView view, Caller caller) {
        return caller.sees(view.owner()) ? Mono.just(view) : Mono.error(JobId.notFound(id));
    }

    /** The owner a listing is limited to: the caller's, or null (everything) for an admin. */
    public static String listingOwner(Caller caller) {
        return caller.isAdmin() ? null : caller.owner();
    }
}
