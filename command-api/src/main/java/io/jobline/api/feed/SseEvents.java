package io.jobline.api.feed;

import org.springframework.http.codec.ServerSentEvent;

/** The three events of the streams: {@code job}, {@code heartbeat} and {@code resync}. */
final class SseEvents {

    static final String JOB = "job";
    static final String HEARTBEAT = "heartbeat";
    static final String RESYNC = "resync";

    private SseEvents() {
    }

    /** A view of a job: {@code data} is the public job JSON, {@code id} the cursor after it. */
    static ServerSentEvent<String> job(String json, String cursor) {
        return ServerSentEvent.builder(json).event(JOB).id(cursor).build();
    }

    /** Nothing new; {@code id} is the stream's cursor, so a client may resume from a heartbeat too. */
    static ServerSentEvent<String> heartbeat(String cursor) {
        return ServerSentEvent.builder("{}").event(HEARTBEAT).id(cursor).build();
    }

    /**
     * The client fell too far behind; the stream closes after this. Its empty {@code id} clears the client's last
     * event id (as the SSE standard defines it), so a browser's {@code EventSource} reconnects without
     * {@code Last-Event-ID}, i.e. afresh.
     */
    static ServerSentEvent<String> resync(Resync why) {
        String data = "{\"reason\":\"" + why.reason() + "\",\"detail\":\"" + why.detail() + "\"}";
        return ServerSentEvent.builder(data).event(RESYNC).id("").build();
    }
}
