package io.jobline.api.query;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.view.JobLog;
import reactor.core.publisher.Mono;

/**
 * {@code GET /jobs/{id}/logs?attempt=&tail=}: an attempt's log lines, read through the status-projection (which
 * reads {@code jobline.logs}). JSON by default; {@code text/plain} (the lines, each ending with {@code \n}) when
 * the client prefers it to JSON in its {@code Accept} header. Job ids as in {@link JobId}; query as in
 * {@link LogQuery}.
 */
@RestController
public class JobLogController {

    static final MediaType TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private final ProjectionClient projection;

    public JobLogController(ProjectionClient projection) {
        this.projection = projection;
    }

    @GetMapping(path = "/jobs/{id}/logs", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    public Mono<ResponseEntity<?>> logs(@PathVariable("id") String id,
            @RequestParam(name = "attempt", required = false) String attempt,
            @RequestParam(name = "tail", required = false) String tail,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) List<String> accept) {
        boolean text = prefersText(accept);
        return Mono.fromCallable(() -> new Request(JobId.parse(id), LogQuery.parse(attempt, tail)))
                .flatMap(request -> projection.logs(request.id(), request.query()))
                .map(log -> text
                        ? ResponseEntity.ok().contentType(TEXT).body(asText(log))
                        : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(log));
    }

    private record Request(String id, LogQuery query) {
    }

    /** True when {@code text/plain} (or {@code text/*}) has a higher quality than JSON; wildcards count for neither. */
    static boolean prefersText(List<String> accept) {
        if (accept == null || accept.isEmpty()) {
            return false;
        }
        double text = 0;
        double json = 0;
        for (MediaType type : MediaType.parseMediaTypes(accept)) {
            double quality = type.getQualityValue();
            if (type.isWildcardType()) {
                continue;
            }
            if (type.getType().equals("text") && (type.isWildcardSubtype() || type.getSubtype().equals("plain"))) {
                text = Math.max(text, quality);
            } else if (type.getType().equals("application")
                    && (type.isWildcardSubtype() || type.getSubtype().equals("json"))) {
                json = Math.max(json, quality);
            }
        }
        return text > json;
    }

    /** Each line followed by {@code \n}; no lines give an empty text. */
    static String asText(JobLog log) {
        StringBuilder text = new StringBuilder();
        for (String line : log.lines()) {
            text.append(line == null ? "" : line).append('\n');
        }
        return text.toString();
    }
}
