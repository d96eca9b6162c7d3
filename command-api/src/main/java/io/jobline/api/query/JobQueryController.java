package io.jobline.api.query;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.view.JobPage;
import io.jobline.api.view.JobView;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /jobs/{id}} (with an optional long-poll, {@link WaitQuery}), {@code GET /jobs} ({@link ListQuery}) and
 * {@code GET /jobs/{id}/history} ({@link HistoryQuery}), answered from the status-projection. Job ids as in
 * {@link JobId}.
 */
@RestController
public class JobQueryController {

    private final ProjectionClient projection;

    public JobQueryController(ProjectionClient projection) {
        this.projection = projection;
    }

    @GetMapping(path = "/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobView>> job(@PathVariable("id") String id,
            @RequestParam(name = "waitFor", required = false) String waitFor,
            @RequestParam(name = "timeout", required = false) String timeout,
            @RequestParam(name = "version", required = false) String version) {
        return Mono.fromCallable(() -> new JobRequest(JobId.parse(id), WaitQuery.parse(waitFor, timeout, version)))
                .flatMap(request -> projection.job(request.id(), request.waitQuery()))
                .map(answer -> {
                    ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
                    if (answer.waitOutcome() != null) {
                        ok.header(ProjectionClient.WAIT_HEADER, answer.waitOutcome());
                    }
                    return ok.body(answer.view());
                });
    }

    private record JobRequest(String id, WaitQuery waitQuery) {
    }

    @GetMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<JobPage> jobs(@RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "workflow", required = false) String workflow,
            @RequestParam(name = "submittedAfter", required = false) String submittedAfter,
            @RequestParam(name = "submittedBefore", required = false) String submittedBefore,
            @RequestParam(name = "limit", required = false) String limit,
            @RequestParam(name = "pageToken", required = false) String pageToken) {
        ListQuery query = ListQuery.parse(status, workflow, submittedAfter, submittedBefore, limit, pageToken);
        return projection.jobs(query).map(page -> {
            List<JobView> items = page.items();
            String next = page.hasMore() && !items.isEmpty()
                    ? PageToken.encode(items.get(items.size() - 1).id(), query.filters())
                    : null;
            return new JobPage(items, next, page.total());
        });
    }

    @GetMapping(path = "/jobs/{id}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<JsonNode> history(@PathVariable("id") String id,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "limit", required = false) String limit) {
        return Mono.fromCallable(() -> new HistoryRequest(JobId.parse(id), HistoryQuery.parse(after, limit)))
                .flatMap(request -> projection.history(request.id(), request.query()));
    }

    private record HistoryRequest(String id, HistoryQuery query) {
    }
}
