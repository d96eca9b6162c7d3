package io.jobline.projection.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.projection.ProjectionProperties;
import io.jobline.projection.listing.ListingQuery;
import io.jobline.projection.listing.TimeRange;
import io.jobline.projection.watch.WaitFor;
import io.jobline.schemas.JobStatus;
import reactor.core.publisher.Mono;

/**
 * The internal query API of jobs: {@code GET /internal/jobs/{id}} (with an optional long-poll),
 * {@code GET /internal/jobs/{id}/logs}, {@code GET /internal/jobs/{id}/history} and the listing
 * {@code GET /internal/jobs} (all owners' jobs, or one {@code owner}'s). Errors are
 * {@code application/problem+json} (see {@link QueryProblems}). {@code local=true} answers from this instance
 * only (the call of another instance), {@code stale=true} then also from its standby copies, and a listing
 * takes the {@code partitions} to answer for.
 */
@RestController
@RequestMapping("/internal/jobs")
public class JobQueryController {

    /** The most log lines one answer holds, and the default {@code tail}. */
    public static final int MAX_LOG_LINES = 10_000;
    /** The most history entries one answer holds. */
    public static final int MAX_HISTORY_ENTRIES = 10_000;
    public static final int DEFAULT_HISTORY_ENTRIES = 1_000;

    private final JobQueryService queries;
    private final ProjectionProperties properties;

    public JobQueryController(JobQueryService queries, ProjectionProperties properties) {
        this.queries = queries;
        this.properties = properties;
    }

    @GetMapping("/{id}")
    public Mono<ResponseEntity<Object>> get(@PathVariable String id,
            @RequestParam(name = "waitFor", required = false) String waitFor,
            @RequestParam(name = "version", required = false) String version,
            @RequestParam(name = "timeout", required = false) String timeout,
            @RequestParam(name = "local", required = false) String local,
            @RequestParam(name = "stale", required = false) String stale, ServerHttpRequest request) {
        boolean localOnly = QueryParameters.flag("local", local);
        boolean staleToo = QueryParameters.flag("stale", stale);
        Duration wait = QueryParameters.duration("timeout", timeout, properties.maxWait(), properties.defaultWait());
        if (waitFor == null) {
            return queries.get(id, localOnly, staleToo).map(found -> found
                    .<ResponseEntity<Object>>map(view -> ResponseEntity.ok(view))
                    .orElseGet(() -> notFound(id, request)));
        }
        WaitFor condition = waitFor.trim().equalsIgnoreCase("change")
                ? WaitFor.change(version == null ? null : QueryParameters.longNumber("version", version, 0, 0))
                : WaitFor.status(QueryParameters.status("waitFor", waitFor));
        return queries.await(id, condition, wait, localOnly).map(found -> found
                .<ResponseEntity<Object>>map(waited -> ResponseEntity.ok()
                        .header(Waited.HEADER, waited.header())
                        .body(waited.view()))
                .orElseGet(() -> notFound(id, request)));
    }

    @GetMapping("/{id}/logs")
    public Mono<ResponseEntity<Object>> logs(@PathVariable String id,
            @RequestParam(name = "attempt", required = false) String attempt,
            @RequestParam(name = "tail", required = false) String tail,
            @RequestParam(name = "local", required = false) String local,
            @RequestParam(name = "stale", required = false) String stale, ServerHttpRequest request) {
        Integer attemptNumber = attempt == null ? null
                : QueryParameters.wholeNumber("attempt", attempt, 1, Integer.MAX_VALUE, 1);
        int lines = QueryParameters.wholeNumber("tail", tail, 1, MAX_LOG_LINES, MAX_LOG_LINES);
        return queries.logs(id, attemptNumber, lines, QueryParameters.flag("local", local), QueryParameters.flag("stale", stale))
                .map(found -> found
                        .<ResponseEntity<Object>>map(logs -> ResponseEntity.ok(logs))
                        .orElseGet(() -> notFound(id, request)));
    }

    @GetMapping("/{id}/history")
    public Mono<ResponseEntity<Object>> history(@PathVariable String id,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "limit", required = false) String limit,
            @RequestParam(name = "local", required = false) String local,
            @RequestParam(name = "stale", required = false) String stale, ServerHttpRequest request) {
        long afterSeq = QueryParameters.longNumber("after", after, 0, 0);
        int entries = QueryParameters.wholeNumber("limit", limit, 1, MAX_HISTORY_ENTRIES, DEFAULT_HISTORY_ENTRIES);
        return queries.history(id, afterSeq, entries, QueryParameters.flag("local", local), QueryParameters.flag("stale", stale))
                .map(found -> found
                        .<ResponseEntity<Object>>map(history -> ResponseEntity.ok(history))
                        .orElseGet(() -> notFound(id, request)));
    }

    @GetMapping
    public Mono<ResponseEntity<Object>> list(@RequestParam(name = "owner", required = false) String owner,
            @RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "workflow", required = false) String workflow,
            @RequestParam(name = "submittedAfter", required = false) String submittedAfter,
            @RequestParam(name = "submittedBefore", required = false) String submittedBefore,
            @RequestParam(name = "limit", required = false) String limit,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "local", required = false) String local,
            @RequestParam(name = "stale", required = false) String stale,
            @RequestParam(name = "partitions", required = false) String partitions) {
        String ownerFilter = QueryParameters.owner("owner", owner);
        JobStatus statusFilter = QueryParameters.status("status", status);
        String workflowFilter = QueryParameters.workflow("workflow", workflow);
        Instant from = QueryParameters.instant("submittedAfter", submittedAfter);
        Instant to = QueryParameters.instant("submittedBefore", submittedBefore);
        if (from != null && to != null && !to.isAfter(from)) {
            throw new BadParameterException("submittedBefore", "must be later than submittedAfter");
        }
        int pageSize = QueryParameters.wholeNumber("limit", limit, 1, properties.maxPageSize(), properties.defaultPageSize());
        String cursor = QueryParameters.jobId("after", after);
        boolean localOnly = QueryParameters.flag("local", local);
        List<Integer> which = QueryParameters.partitions("partitions", partitions);
        if (which != null && !localOnly) {
            throw new BadParameterException("partitions", "is only allowed with local=true");
        }
        ListingQuery query = new ListingQuery(ownerFilter, statusFilter, workflowFilter, TimeRange.of(from, to), cursor,
                pageSize);
        return queries.list(query, localOnly, which, QueryParameters.flag("stale", stale))
                .map(page -> ResponseEntity.ok((Object) page));
    }

    private static ResponseEntity<Object> notFound(String id, ServerHttpRequest request) {
        return QueryProblems.notFound("Job not found", "There is no job " + id + ".", request);
    }
}
