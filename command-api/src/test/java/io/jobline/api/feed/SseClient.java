package io.jobline.api.feed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.jobline.api.support.TestCallers;

/**
 * A plain Server-Sent Events client on {@code java.net.http.HttpClient}: it reads the response line by line on a
 * thread of its own and parses events as the SSE standard says (fields {@code event}, {@code id}, {@code data},
 * dispatched at a blank line), noting when each arrived.
 */
final class SseClient implements AutoCloseable {

    /** One event; {@code id} is null when the event had no id field. */
    record Event(String type, String id, String data, long receivedNanos) {

        boolean isJob() {
            return "job".equals(type);
        }

        boolean isHeartbeat() {
            return "heartbeat".equals(type);
        }
    }

    private static final Object END = new Object();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens a stream as {@link TestCallers#TESTER} (the call returns once the response headers are in);
     * {@code lastEventId} may be null.
     */
    static SseClient open(String url, String lastEventId) throws IOException, InterruptedException {
        return open(url, lastEventId, TestCallers.TESTER_KEY);
    }

    /** Opens a stream as the caller of {@code apiKey}. */
    static SseClient open(String url, String lastEventId, String apiKey) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HTTP.send(request(url, lastEventId, apiKey),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + body);
        }
        return new SseClient(response);
    }

    /** A request that is expected to fail before any stream starts. */
    static HttpResponse<String> refused(String url, String lastEventId) throws IOException, InterruptedException {
        return refused(url, lastEventId, TestCallers.TESTER_KEY);
    }

    /** The same as the caller of {@code apiKey} (null: no credentials). */
    static HttpResponse<String> refused(String url, String lastEventId, String apiKey)
            throws IOException, InterruptedException {
        return HTTP.send(request(url, lastEventId, apiKey), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String url, String lastEventId, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.build();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The next event, failing when none comes within {@code timeout} or the stream ended. */
    Event next(Duration timeout) throws InterruptedException {
        Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no event within " + timeout);
        }
        if (next == END) {
            received.add(END);
            throw new AssertionError("the stream ended");
        }
        return (Event) next;
    }

    /** The next {@code job} event, skipping heartbeats. */
    Event nextJob(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!event.isHeartbeat()) {
                return event;
            }
        }
    }

    /** Every event until the server ends the stream; fails when it does not within {@code timeout}. */
    List<Event> untilEnd(Duration timeout) throws InterruptedException {
        List<Event> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object next = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("the stream did not end within " + timeout + "; got " + events);
            }
            if (next == END) {
                received.add(END);
                return events;
            }
            events.add((Event) next);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String type = null;
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        received.add(new Event(type == null ? "message" : type, id, data.toString(), System.nanoTime()));
                    }
                    type = null;
                    id = null;
                    data = null;
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "event" -> type = value;
                    case "id" -> id = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { } // comments and retry
                }
            }
        } catch (IOException e) {
            // closed by us or by the server
        } finally {
            received.add(END);
        }
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
