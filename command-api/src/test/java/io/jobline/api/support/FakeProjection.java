package io.jobline.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server that plays the status-projection's documented internal query API
 * ({@code GET /internal/jobs/{id}}, {@code GET /internal/jobs?status&limit&after},
 * {@code GET /internal/jobs/{id}/logs}) from in-memory maps of job views, newest (highest UUIDv7) first, and of
 * log answers. Tests can make it answer with a fixed status instead, and read the
 * queries it received.
 */
public final class FakeProjection {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Map<String, Map<String, Object>> jobs = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> logs = new ConcurrentHashMap<>();
    private final List<URI> requests = new CopyOnWriteArrayList<>();
    private volatile int forcedStatus;
    private volatile String forcedRetryAfter;
    private volatile String forcedBody;

    private FakeProjection(HttpServer server) {
        this.server = server;
        server.createContext("/internal/jobs", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "fake-projection");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public static FakeProjection start() {
        try {
            return new FakeProjection(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Forget jobs, forced answers and recorded requests. */
    public void reset() {
        jobs.clear();
        logs.clear();
        requests.clear();
        forcedStatus = 0;
        forcedRetryAfter = null;
        forcedBody = null;
    }

    /** Answer every request with this status, {@code Content-Type: application/json} and this body. */
    public void answerWithBody(int status, String body) {
        this.forcedBody = body;
        this.forcedStatus = status;
    }

    public void put(Map<String, Object> view) {
        jobs.put((String) view.get("id"), view);
    }

    /** The answer to {@code GET /internal/jobs/{id}/logs} of a job put before, whatever the query. */
    public void putLogs(String id, Map<String, Object> answer) {
        logs.put(id, answer);
    }

    /** Answer every request with this status (and Retry-After, if not null) until {@link #reset()}. */
    public void answerWith(int status, String retryAfter) {
        this.forcedStatus = status;
        this.forcedRetryAfter = retryAfter;
    }

    public List<URI> requests() {
        return List.copyOf(requests);
    }

    /** A job view in the documented JSON shape. */
    public static Map<String, Object> view(String id, String status) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("owner", "local");
        view.put("workflow", "mock");
        view.put("parameters", Map.of("k", "v"));
        view.put("status", status);
        view.put("attempt", "PENDING".equals(status) ? 0 : 1);
        view.put("submittedAt", "2026-11-29T08:00:00.123Z");
        view.put("startedAt", "PENDING".equals(status) ? null : "2026-11-29T08:00:00.456Z");
        view.put("finishedAt", null);
        view.put("failure", null);
        view.put("worker", "PENDING".equals(status) ? null : "processor-host-1234");
        view.put("updatedAt", "2026-11-29T08:00:00.456Z");
        view.put("progress", null);
        view.put("outputs", List.of());
        view.put("lastHeartbeatAt", null);
        view.put("cancelRequestedAt", null);
        view.put("cancelRequestedBy", null);
        return view;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(uri);
            if (forcedStatus != 0) {
                if (forcedBody != null) {
                    send(exchange, forcedStatus, "application/json", forcedBody.getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (forcedRetryAfter != null) {
                    exchange.getResponseHeaders().set("Retry-After", forcedRetryAfter);
                }
                problem(exchange, forcedStatus);
                return;
            }
            String path = uri.getPath();
            Map<String, String> query = query(uri.getRawQuery());
            if (path.equals("/internal/jobs") || path.equals("/internal/jobs/")) {
                list(exchange, query);
            } else {
                String rest = path.substring("/internal/jobs/".length());
                boolean logLines = rest.endsWith("/logs");
                String id = logLines ? rest.substring(0, rest.length() - "/logs".length()) : rest;
                Map<String, Object> view = jobs.get(id);
                if (view == null) {
                    problem(exchange, 404);
                } else if (logLines) {
                    send(exchange, 200, "application/json", JSON.writeValueAsBytes(logs.getOrDefault(id, noLines(view))));
                } else {
                    send(exchange, 200, "application/json", JSON.writeValueAsBytes(view));
                }
            }
        }
    }

    /** The documented answer for a known job without log lines (yet). */
    private static Map<String, Object> noLines(Map<String, Object> view) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", view.get("id"));
        answer.put("attempt", view.get("attempt"));
        answer.put("firstLine", 1);
        answer.put("lines", List.of());
        answer.put("totalLines", 0);
        return answer;
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        String status = query.get("status");
        String after = query.get("after");
        List<Map<String, Object>> matching = new ArrayList<>(jobs.values().stream()
                .filter(v -> status == null || status.equals(v.get("status")))
                .filter(v -> after == null || ((String) v.get("id")).compareTo(after) < 0)
                .sorted(Comparator.comparing((Map<String, Object> v) -> (String) v.get("id")).reversed())
                .toList());
        boolean hasMore = matching.size() > limit;
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", matching.subList(0, Math.min(limit, matching.size())));
        page.put("hasMore", hasMore);
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(page));
    }

    private static void problem(HttpExchange exchange, int status) throws IOException {
        send(exchange, status, "application/problem+json",
                ("{\"title\":\"fake\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
