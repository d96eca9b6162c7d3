package io.jobline.api.problem;

import java.net.URI;

/**
 * The {@code type} of every problem the API answers with: a stable URI under {@value #BASE} per kind of error, so
 * that clients can act on it without parsing texts. Each type has one status. The OpenAPI document lists them.
 */
public enum ProblemType {

    INVALID_REQUEST(400, "invalid-request",
            "The request breaks a rule of the API: `field` names the first offending body field, query parameter, "
                    + "header or `path`, `errors` lists every rule broken. Fix the request; do not retry it as is."),
    UNAUTHENTICATED(401, "unauthenticated",
            "No credentials, or credentials that are not accepted: `field` names the header (`X-API-Key` or "
                    + "`Authorization`). `WWW-Authenticate` names the schemes."),
    FORBIDDEN(403, "forbidden", "The credentials are valid but grant no access to jobs (no role `user` or `admin`)."),
    NOT_FOUND(404, "not-found",
            "No such job (or route). Another owner's job answers exactly like a job that does not exist."),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "The path exists, the method does not: `Allow` lists the methods."),
    NOT_ACCEPTABLE(406, "not-acceptable",
            "No representation matches `Accept` (`field`): JSON, `text/event-stream` for streams, `text/plain` for logs."),
    CONFLICT(409, "conflict",
            "The job's status does not allow the request (`jobStatus` holds it), e.g. cancelling a finished job."),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The body is larger than the API reads (`field`: `body`)."),
    URI_TOO_LONG(414, "uri-too-long", "The request line (path and query) is longer than the server reads."),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type",
            "The body's `Content-Type` (`field`) is not one the endpoint reads (`application/json`)."),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused",
            "The `Idempotency-Key` was used within 24 hours for another request: use a new key for a new request."),
    RATE_LIMITED(429, "rate-limited",
            "Too many requests that create work from this caller: retry after `Retry-After` seconds."),
    HEADERS_TOO_LARGE(431, "request-header-fields-too-large",
            "The request's headers together are larger than the server reads (`field`: `headers`)."),
    INTERNAL_ERROR(500, "internal-error", "A fault of the service; the body holds no details. Retrying may help."),
    UNAVAILABLE(503, "unavailable",
            "A dependency (Kafka, the status-projection, the token issuer) did not answer in time: retry after "
                    + "`Retry-After` seconds; with an `Idempotency-Key` a retry is safe.");

    public static final String BASE = "https://jobline.io/problems/";

    private final int status;
    private final URI uri;
    private final String meaning;

    ProblemType(int status, String name, String meaning) {
        this.status = status;
        this.uri = URI.create(BASE + name);
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    public URI uri() {
        return uri;
    }

    /** What the problem means and what a client does about it (for the API documentation). */
    public String meaning() {
        return meaning;
    }

    /**
     * The type of a status (each type has its own status): how the framework's and Netty's errors get theirs. An
     * unexpected 4xx counts as an invalid request, an unexpected 5xx as an internal error.
     */
    public static ProblemType of(int status) {
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
    }
}
