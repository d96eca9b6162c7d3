package io.jobline.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An open Server-Sent Event stream whose events a reader thread collects until the test closes it. */
final class LiveEvents implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int status;
    private final Stream<String> lines;
    private final List<Map.Entry<String, JsonNode>> events = new CopyOnWriteArrayList<>();

    private LiveEvents(int status, Stream<String> lines) {
        this.status = status;
        this.lines = lines;
    }

    static LiveEvents open(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            LiveEvents live = new LiveEvents(response.statusCode(), response.body());
            Thread reader = new Thread(live::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            return live;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return status;
    }

    /** The data of every event of this name received so far. */
    List<JsonNode> data(String event) {
        return events.stream().filter(entry -> entry.getKey().equals(event)).map(Map.Entry::getValue).toList();
    }

    /** The ids of the jobs of every {@code job} event received so far. */
    List<String> jobIds() {
        return data("job").stream().map(view -> view.get("id").asString()).toList();
    }

    private void read() {
        String event = "message";
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("event:")) {
                    event = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:")) {
                    String data = line.substring("data:".length()).strip();
                    events.add(Map.entry(event, data.startsWith("{") ? JSON.readTree(data) : JSON.missingNode()));
                    event = "message";
                }
            }
        } catch (RuntimeException closed) {
            // the test closed the stream
        }
    }

    @Override
    public void close() {
        lines.close();
    }
}
