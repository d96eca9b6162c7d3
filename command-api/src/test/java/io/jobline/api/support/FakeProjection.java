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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
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
 * <li>{@code GET /internal/jobs/{id}/logs} and {@code GET /internal/jobs/{id}/history?after&limit};</li>
 * <li>{@code GET /internal/idempotency/{storeKey}?waitMillis}: the entries put with {@link #putIdempotency}; an
 * absent one is waited for up to {@code waitMillis} (parked, answered by the put), then 404.</li>
 * </ul>
 * The listing takes {@code owner} too. Like the real projection it answers 401 to a request without
 * {@code X-Jobline-Internal-Key: }{@link TestCallers#INTERNAL_KEY}. Tests can make it answer with a fixed status
 * instead, and read the queries it received.
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
    private final Map<String, Map<String, Object>> idempotency = new ConcurrentHashMap<>();
    private final List<KeyWaiter> keyWaiters = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile int forcedStatus;
    private volatile String forcedRetryAfter;
    private volatile String forcedBody;

    private FakeProjection(HttpServer server) {
        this.server = server;
        server.createContext("/internal/jobs", serve(this::jobRequest));
        server.createContext("/internal/idempotency/", serve(this::idempotencyRequest));
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
        for (KeyWaiter waiter : keyWaiters) {
            waiter.answer();
        }
        keyWaiters.clear();
        idempotency.clear();
        refused.set(0);
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

    /** How many requests came without the right internal key (and were answered 401). */
    public int refused() {
        return refused.get();
    }

    /** What the projection knows of an Idempotency-Key: answers the requests waiting for it. */
    public void putIdempotency(String storeKey, String jobId, String fingerprint) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("jobId", jobId);
        entry.put("fingerprint", fingerprint);
        entry.put("acceptedAt", Instant.now().toString());
        idempotency.put(storeKey, entry);
        for (KeyWaiter waiter : keyWaiters) {
            if (waiter.storeKey.equals(storeKey)) {
                waiter.answer();
            }
        }
    }

    /** How many requests wait for {@code storeKey} to become known. */
    public int waitingFor(String storeKey) {
        return (int) keyWaiters.stream().filter(waiter -> waiter.storeKey.equals(storeKey) && !waiter.answered.get())
                .count();
    }

    /** How many long-polls are parked, unanswered. */
    public int waiting() {
        return (int) waiters.stream().filter(waiter -> !waiter.answered.get()).count();
    }

    /** A job view in the documented JSON shape. */
    public static Map<String, Object> view(String id, String status) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("owner", TestCallers.TESTER);
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

    /**
     * Records the request, then answers 401 without the internal key, the forced answer if there is one, or what
     * {@code endpoint} answers; closes the exchange unless the endpoint parked it.
     */
    private HttpHandler serve(Endpoint endpoint) {
        return exchange -> {
            boolean parked = false;
            try {
                requests.add(exchange.getRequestURI());
                if (authorized(exchange) && !answeredAsForced(exchange)) {
                    parked = endpoint.answer(exchange);
                }
            } finally {
                if (!parked) {
                    exchange.close();
                }
            }
        };
    }

    /** Answers a request, or parks it and returns true. */
    private interface Endpoint {
        boolean answer(HttpExchange exchange) throws IOException;
    }

    /** False (after answering 401) when the request lacks the internal key. */
    private boolean authorized(HttpExchange exchange) throws IOException {
        if (TestCallers.INTERNAL_KEY.equals(exchange.getRequestHeaders().getFirst("X-Jobline-Internal-Key"))) {
            return true;
        }
        refused.incrementAndGet();
        problem(exchange, 401);
        return false;
    }

    /** True after answering as {@link #answerWith} or {@link #answerWithBody} asked. */
    private boolean answeredAsForced(HttpExchange exchange) throws IOException {
        if (forcedStatus == 0) {
            return false;
        }
        if (forcedBody != null) {
            send(exchange, forcedStatus, "application/json", forcedBody.getBytes(StandardCharsets.UTF_8));
            return true;
        }
        if (forcedRetryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", forcedRetryAfter);
        }
        problem(exchange, forcedStatus);
        return true;
    }

    private boolean jobRequest(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        Map<String, String> query = query(uri.getRawQuery());
        if (path.equals("/internal/jobs") || path.equals("/internal/jobs/")) {
            list(exchange, query);
            return false;
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
            return longPoll(exchange, id, view, query);
        } else {
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(view));
        }
        return false;
    }

    private boolean idempotencyRequest(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String storeKey = uri.getPath().substring("/internal/idempotency/".length());
        long waitMillis = Long.parseLong(query(uri.getRawQuery()).getOrDefault("waitMillis", "0"));
        if (idempotency.containsKey(storeKey) || waitMillis == 0) {
            answerIdempotency(exchange, storeKey);
            return false;
        }
        KeyWaiter waiter = new KeyWaiter(exchange, storeKey);
        keyWaiters.add(waiter);
        waiter.timeout = timer.schedule(waiter::answer, waitMillis, TimeUnit.MILLISECONDS);
        if (idempotency.containsKey(storeKey)) {
            waiter.answer();
        }
        return true;
    }

    private void answerIdempotency(HttpExchange exchange, String storeKey) throws IOException {
        Map<String, Object> entry = idempotency.get(storeKey);
        if (entry == null) {
            problem(exchange, 404);
        } else {
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(entry));
        }
    }

    /** A request parked until it can be answered or its timeout passes, answered by whichever comes first. */
    private abstract class Parked {
        final HttpExchange exchange;
        final AtomicBoolean answered = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;
        private final List<?> parkedIn;

        Parked(HttpExchange exchange, List<?> parkedIn) {
            this.exchange = exchange;
            this.parkedIn = parkedIn;
        }

        /** Unless answered already: leaves the parked ones, writes the answer and closes the exchange. */
        final void respond(Answer answer) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            parkedIn.remove(this);
            if (timeout != null) {
                timeout.cancel(false);
            }
            try (exchange) {
                answer.write();
            } catch (IOException e) {
                // the client went away
            }
        }
    }

    private interface Answer {
        void write() throws IOException;
    }

    private final class KeyWaiter extends Parked {
        final String storeKey;

        KeyWaiter(HttpExchange exchange, String storeKey) {
            super(exchange, keyWaiters);
            this.storeKey = storeKey;
        }

        void answer() {
            respond(() -> answerIdempotency(exchange, storeKey));
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

    private final class Waiter extends Parked {
        final String id;
        final String waitFor;
        final long version;

        Waiter(HttpExchange exchange, String id, String waitFor, long version) {
            super(exchange, waiters);
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
            respond(() -> {
                exchange.getResponseHeaders().set("Jobline-Wait", outcome);
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(jobs.getOrDefault(id, Map.of())));
            });
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
        if (query.containsKey("owner") && !query.get("owner").equals(view.get("owner"))) {
            return false;
        }
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
