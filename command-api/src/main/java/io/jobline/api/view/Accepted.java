package io.jobline.api.view;

import java.net.URI;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The {@code 202 Accepted} of every command the API takes: {@code Location} of the job, and the job's view. */
public final class Accepted {

    /** Response header carrying the id a command was recorded under (its {@code requestId}). */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private Accepted() {
    }

    /** {@code requestId} is null when the request was taken without writing a command (nothing was recorded). */
    public static ResponseEntity<JobView> job(JobView view, String requestId) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.accepted()
                .location(URI.create("/jobs/" + view.id()))
                .contentType(MediaType.APPLICATION_JSON);
        if (requestId != null) {
            answer.header(REQUEST_ID_HEADER, requestId);
        }
        return answer.body(view);
    }

    /**
     * The {@code 202} of a request that repeats an earlier one (same {@code Idempotency-Key}): the job that one
     * made, as it is now, marked with {@code replayedHeader: true}; nothing was recorded.
     */
    public static ResponseEntity<JobView> replayed(JobView view, String replayedHeader) {
        return ResponseEntity.accepted()
                .location(URI.create("/jobs/" + view.id()))
                .contentType(MediaType.APPLICATION_JSON)
                .header(replayedHeader, "true")
                .body(view);
    }
}
