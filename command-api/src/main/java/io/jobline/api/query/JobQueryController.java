package io.jobline.api.query;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.view.JobPage;
import io.jobline.api.view.JobView;
import reactor.core.publisher.Mono;

/**
 * {@code GET /jobs/{id}} and {@code GET /jobs}, answered from the status-projection. Job ids as in {@link JobId}.
 */
@RestController
public class JobQueryController {

    private final ProjectionClient projection;

    public JobQueryController(ProjectionClient projection) {
        this.projection = projection;
    }

    @GetMapping(path = "/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<JobView> job(@PathVariable("id") String id) {
        return Mono.fromCallable(() -> JobId.parse(id)).flatMap(projection::job);
    }

    @GetMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<JobPage> jobs(@RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "limit", required = false) String limit,
            @RequestParam(name = "pageToken", required = false) String pageToken) {
        ListQuery query = ListQuery.parse(status, limit, pageToken);
        return projection.jobs(query).map(page -> {
            List<JobView> items = page.items();
            String next = page.hasMore() && !items.isEmpty() ? PageToken.encode(items.get(items.size() - 1).id()) : null;
            return new JobPage(items, next);
        });
    }
}
