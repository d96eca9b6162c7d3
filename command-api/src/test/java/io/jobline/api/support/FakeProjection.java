package io.jobline.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server that plays the status-projection's documented internal query API from in-memory maps:
 * <ul>
 * <li>{@code GET /internal/jobs?status&workflow&submittedAfter&submittedBefore&limit&after}: the views put, newest
 * (highest UUIDv7) first, filtered on their {@code status}, {@code workflow} and {@code submittedAt}, with
 * {@code hasMore} and {@code total};</li>
 * <li>{@code GET /internal/jobs/{id}}, and its long-poll {@code ?waitFor&version&timeout}: a parked request is
 * answered by the {@link #put} that satisfies it ({@code Jobline-Wait: satisfied}), or with the current view when its
 * timeout passes ({@code Jobline-Wait: timeout}); no thread waits meanwhile;</li>
 * <li>{@code GET /internal/jobs/{id}/logs} and {@code GET /internal/jobs/{id}/history?after&limit}.</li>
 * </ul>
 * Tests can make it answer with a fixed status instead, and read the queries it received.
 */
public final class FakeProjection {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)(ms|s)");

    private final HttpServer server;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fake-projection-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Map<String, Object>> jobs = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> logs = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> histories = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
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
            return new FakeProjection(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (for a fake of a single test class; the shared one lives as long as the JVM). */
    public void stop() {
        reset();
        server.stop(0);
        timer.shutdownNow();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Forget jobs, forced answers and recorded requests; parked long-polls are answered as timed out. */
    public void reset() {
        for (Waiter waiter : waiters) {
            waiter.answer("timeout");
        }
        waiters.clear();
        jobs.clear();
        logs.clear();
        histories.clear();
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

    /** Adds or replaces a view; answers the long-polls on it that the new view satisfies. */
    public void put(Map<String, Object> view) {
        String id = (String) view.get("id");
        jobs.put(id, view);
        for (Waiter waiter : waiters) {
            if (waiter.id.equals(id) && waiter.satisfiedBy(view)) {
                waiter.answer("satisfied");
            }
        }
    }

    /** The answer to {@code GET /internal/jobs/{id}/logs} of a job put before, whatever the query. */
    public void putLogs(String id, Map<String, Object> answer) {
        logs.put(id, answer);
    }

    /** The entries of {@code GET /internal/jobs/{id}/history} of a job put before, each with its {@code seq}. */
    public void putHistory(String id, List<Map<String, Object>> entries) {
        histories.put(id, List.copyOf(entries));
    }

    /** Answer every request with this status (and Retry-After, if not null) until {@link #reset()}. */
    public void answerWith(int status, String retryAfter) {
        this.forcedStatus = status;
        this.forcedRetryAfter = retryAfter;
    }

    public List<URI> requests() {
        return List.copyOf(requests);
    }

    /** How many long-polls are parked, unanswered. */
    public int waiting() {
        return (int) waiters.stream().filter(waiter -> !waiter.answered.get()).count();
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
        view.put("version", "PENDING".equals(status) ? 1 : 2);
        return view;
    }

    /** {@code view} with another status and the next version, as the projection shows it after a change. */
    public static Map<String, Object> changed(Map<String, Object> view, String status) {
        Map<String, Object> next = new LinkedHashMap<>(view);
        next.put("status", status);
        next.put("version", ((Number) view.get("version")).longValue() + 1);
        return next;
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean parked = false;
        try {
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
                return;
            }
            String rest = path.substring("/internal/jobs/".length());
            int slash = rest.indexOf('/');
            String id = slash < 0 ? rest : rest.substring(0, slash);
            String sub = slash < 0 ? "" : rest.substring(slash);
            Map<String, Object> view = jobs.get(id);
            if (view == null) {
                problem(exchange, 404);
            } else if (sub.equals("/logs")) {
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(logs.getOrDefault(id, noLines(view))));
            } else if (sub.equals("/history")) {
                history(exchange, id, query);
            } else if (!sub.isEmpty()) {
                problem(exchange, 404);
            } else if (query.containsKey("waitFor")) {
                parked = longPoll(exchange, id, view, query);
            } else {
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(view));
            }
        } finally {
            if (!parked) {
                exchange.close();
            }
        }
    }

    /** Answers at once when {@code view} satisfies the wait, else parks the exchange and returns true. */
    private boolean longPoll(HttpExchange exchange, String id, Map<String, Object> view, Map<String, String> query)
            throws IOException {
        String waitFor = query.get("waitFor");
        long version = query.containsKey("version") ? Long.parseLong(query.get("version"))
                : ((Number) view.get("version")).longValue();
        Waiter waiter = new Waiter(exchange, id, waitFor, version);
        if (waiter.satisfiedBy(view)) {
            exchange.getResponseHeaders().set("Jobline-Wait", "satisfied");
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(view));
            return false;
        }
        waiters.add(waiter);
        waiter.timeout = timer.schedule(() -> waiter.answer("timeout"), duration(query.get("timeout")).toMillis(),
                TimeUnit.MILLISECONDS);
        // a put between the check and the registration
        if (waiter.satisfiedBy(jobs.get(id))) {
            waiter.answer("satisfied");
        }
        return true;
    }

    private static Duration duration(String text) {
        Matcher shortForm = SHORT_DURATION.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return shortForm.group(2).equals("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        }
        return Duration.parse(text);
    }

    private final class Waiter {
        final HttpExchange exchange;
        final String id;
        final String waitFor;
        final long version;
        final AtomicBoolean answered = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        Waiter(HttpExchange exchange, String id, String waitFor, long version) {
            this.exchange = exchange;
            this.id = id;
            this.waitFor = waitFor;
            this.version = version;
        }

        boolean satisfiedBy(Map<String, Object> view) {
            return "change".equals(waitFor)
                    ? ((Number) view.get("version")).longValue() > version
                    : waitFor.equals(view.get("status"));
        }

        void answer(String outcome) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            waiters.remove(this);
            if (timeout != null) {
                timeout.cancel(false);
            }
            try (exchange) {
                exchange.getResponseHeaders().set("Jobline-Wait", outcome);
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(jobs.getOrDefault(id, Map.of())));
            } catch (IOException e) {
                // the client went away
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

    private void history(HttpExchange exchange, String id, Map<String, String> query) throws IOException {
        long after = Long.parseLong(query.getOrDefault("after", "0"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "1000"));
        List<Map<String, Object>> entries = histories.getOrDefault(id, List.of()).stream()
                .filter(entry -> ((Number) entry.get("seq")).longValue() > after)
                .toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", id);
        answer.put("entries", entries.subList(0, Math.min(limit, entries.size())));
        answer.put("hasMore", entries.size() > limit);
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(answer));
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        String after = query.get("after");
        Predicate<Map<String, Object>> filters = view -> matches(view, query);
        List<Map<String, Object>> matching = new ArrayList<>(jobs.values().stream()
                .filter(filters)
                .sorted(Comparator.comparing((Map<String, Object> v) -> (String) v.get("id")).reversed())
                .toList());
        long total = matching.size();
        matching.removeIf(v -> after != null && ((String) v.get("id")).compareTo(after) >= 0);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", matching.subList(0, Math.min(limit, matching.size())));
        page.put("hasMore", matching.size() > limit);
        page.put("total", total);
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(page));
    }

    private static boolean matches(Map<String, Object> view, Map<String, String> query) {
        String status = query.get("status");
        String workflow = query.get("workflow");
        Instant submittedAt = Instant.parse((String) view.get("submittedAt"));
        return (status == null || status.equals(view.get("status")))
                && (workflow == null || workflow.equals(view.get("workflow")))
                && (!query.containsKey("submittedAfter") || !submittedAt.isBefore(Instant.parse(query.get("submittedAfter"))))
                && (!query.containsKey("submittedBefore") || submittedAt.isBefore(Instant.parse(query.get("submittedBefore"))));
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
