package io.jobline.api.feed;

/**
 * Why a stream ends with a {@code resync} event. In every case the client has missed events it cannot get from
 * this stream any more: it re-reads what it shows ({@code GET /jobs/{id}}, {@code GET /jobs}) and opens a new
 * stream without {@code Last-Event-ID}.
 */
enum Resync {

    SLOW_CLIENT("slow-client", "The client did not read its events fast enough."),
    CURSOR_TOO_OLD("cursor-too-old", "Last-Event-ID is further back than this service can replay."),
    CATCH_UP_FAILED("catch-up-failed", "The missed events could not be read from Kafka in time.");

    private final String reason;
    private final String detail;

    Resync(String reason, String detail) {
        this.reason = reason;
        this.detail = detail;
    }

    /** The {@code reason} of the event's data: a stable, machine-readable word. */
    String reason() {
        return reason;
    }

    String detail() {
        return detail;
    }
}
