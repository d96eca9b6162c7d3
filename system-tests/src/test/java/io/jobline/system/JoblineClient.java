package io.jobline.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of the public HTTP API, as a user's program would write one. */
final class JoblineClient {

    record Response(int status, JsonNode body, HttpResponse<String> raw) {
    }

    static final String API_KEY = "X-API-Key";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiKey;

    JoblineClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    Response submit(String workflow, Map<String, String> parameters) {
        return submit(workflow, parameters, Map.of());
    }

    Response submit(String workflow, Map<String, String> parameters, Map<String, String> headers) {
        String body = JSON.writeValueAsString(Map.of("workflow", workflow, "parameters", parameters));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** A Server-Sent Event stream read in the background, for streams that do not end by themselves. */
    LiveEvents openEvents(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "text/event-stream").header(API_KEY, apiKey).GET().build();
        return LiveEvents.open(http, request);
    }

    Response post(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET());
    }

    /** Every item of a listing, following page tokens to the end. */
    List<JsonNode> listAll(String query) {
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        do {
            String path = "/jobs?limit=500" + query + (token == null ? "" : "&pageToken=" + token);
            Response page = get(path);
            if (page.status() != 200) {
                throw new AssertionError("GET " + path + " answered " + page.status() + ": " + page.raw().body());
            }
            page.body().get("items").forEach(items::add);
            JsonNode next = page.body().get("nextPageToken");
            token = next == null || next.isNull() ? null : next.asString();
        } while (token != null);
        return items;
    }

    /**
     * Reads a Server-Sent Event stream until it ends (or the timeout passes), as {@code event -> data} pairs in order.
     */
    List<Map.Entry<String, JsonNode>> events(String path, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Accept", "text/event-stream").header(API_KEY, apiKey).GET().build();
        List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request,
                    HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode());
            }
            String event = "message";
            try (var lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("event:")) {
                        event = line.substring("event:".length()).strip();
                    } else if (line.startsWith("data:")) {
                        events.add(Map.entry(event, JSON.readTree(line.substring("data:".length()).strip())));
                        event = "message";
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return events;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(90)).header(API_KEY, apiKey)
                    .build(),
                    HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode body = text == null || text.isBlank() ? null : JSON.readTree(text);
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
