package io.jobline.api.openapi;

/** Texts of the OpenAPI document that several endpoints share (annotation values must be constants). */
public final class Descriptions {

    public static final String JOB_ID = "The job's id (a UUID; upper-case hex is accepted). Anything else is a 404.";
    public static final String NO_SUCH_JOB = "No such job, another owner's job (the two are not told apart), or an id "
            + "that is not a UUID.";
    public static final String PROJECTION_UNAVAILABLE = "The status-projection cannot answer right now: retry after "
            + "Retry-After.";
    public static final String COMMAND_UNAVAILABLE = "The projection or Kafka cannot answer right now: retry after "
            + "Retry-After.";
    public static final String RATE_LIMITED = "The caller's rate limit of work-creating requests is used up.";
    public static final String LOCATION = "/jobs/{id} of the job";
    public static final String REQUEST_ID = "The requestId the command was recorded under; absent when nothing was "
            + "recorded";
    public static final String LAST_EVENT_ID = "The id of the last event a reconnecting client got: the stream "
            + "resumes after it.";

    private Descriptions() {
    }
}
