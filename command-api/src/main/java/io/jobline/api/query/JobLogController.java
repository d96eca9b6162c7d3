package io.jobline.api.query;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.openapi.Descriptions;
import io.jobline.api.security.Caller;
import io.jobline.api.view.JobLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /jobs/{id}/logs?attempt=&tail=}: an attempt's log lines, read through the status-projection (which
 * reads {@code jobline.logs}). JSON by default; {@code text/plain} (the lines, each ending with {@code \n}) when
 * the client prefers it to JSON in its {@code Accept} header. Job ids as in {@link JobId}; query as in
 * {@link LogQuery}. Only the caller's own jobs (an admin's: all), as in {@link JobAccess}.
 */
@RestController
public class JobLogController {

    static final MediaType TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private final ProjectionClient projection;
    private final JobAccess access;

    public JobLogController(ProjectionClient projection, JobAccess access) {
        this.projection = projection;
        this.access = access;
    }

    @Operation(summary = "Read a job's log",
            description = "The output lines (Snakemake's stdout and stderr) of one attempt, oldest first: JSON, or "
                    + "plain text (each line ending with a newline) when Accept prefers text/plain to JSON.")
    @ApiResponse(responseCode = "200", description = "The attempt's lines.", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobLog.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "400", description = "attempt or tail is invalid.")
    @ApiResponse(responseCode = "404", description = Descriptions.NO_SUCH_JOB)
    @ApiResponse(responseCode = "503", description = Descriptions.PROJECTION_UNAVAILABLE)
    @GetMapping(path = "/jobs/{id}/logs", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    public Mono<ResponseEntity<?>> logs(@Parameter(description = Descriptions.JOB_ID,
                    schema = @Schema(type = "string", format = "uuid")) @PathVariable("id") String id,
            @Parameter(description = "The attempt whose lines to read; default: the job's current attempt.",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "999999999"))
            @RequestParam(name = "attempt", required = false) String attempt,
            @Parameter(description = "Only the last this many lines; default: all (at most 10000).",
                    schema = @Schema(type = "integer", format = "int32", minimum = "" + LogQuery.MIN_TAIL,
                            maximum = "" + LogQuery.MAX_TAIL))
            @RequestParam(name = "tail", required = false) String tail,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) List<String> accept,
            @AuthenticationPrincipal Caller caller) {
        boolean text = prefersText(accept);
        return Mono.fromCallable(() -> new Request(JobId.parse(id), LogQuery.parse(attempt, tail)))
                .flatMap(request -> access.check(request.id(), caller)
                        .then(projection.logs(request.id(), request.query())))
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
