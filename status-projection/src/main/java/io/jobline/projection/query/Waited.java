package io.jobline.projection.query;

/**
 * The answer to a long-poll: the view, and whether it is what was waited for ({@code Jobline-Wait:
 * satisfied}) or the time ran out ({@code timeout}).
 */
public record Waited(JobViewJson view, boolean satisfied) {

    public static final String HEADER = "Jobline-Wait";

    public String header() {
        return satisfied ? "satisfied" : "timeout";
    }
}
