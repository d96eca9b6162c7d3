package io.jobline.api.query;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.view.JobPage;
import io.jobline.api.view.JobView;
import reactor.core.publisher.Mono;

/**
 * {@code GET /jobs/{id}} and {@code GET /jobs}, answered from the status-projection. A job id that is not a UUID
 * answers 404 like any unknown job (no job can have it); upper-case hex is accepted and normalised.
 */
@RestController
public class JobQueryController {

    private static final Pattern UUID_ANY_CASE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ProjectionClient projection;

    public JobQueryController(ProjectionClient projection) {
        this.projection = projection;
    }

    @GetMapping(path = "/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<JobView> job(@PathVariable("id") String id) {
        if (!UUID_ANY_CASE.matcher(id).matches()) {
            return Mono.error(ApiProblemException.notFound("No job " + shorten(id) + "."));
        }
        return projection.job(id.toLowerCase(Locale.ROOT));
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

    private static String shorten(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "...";
    }
}
