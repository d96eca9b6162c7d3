package io.jobline.api.query;

import java.util.Locale;
import java.util.regex.Pattern;

import io.jobline.api.problem.ApiProblemException;

/**
 * The job id of a path such as {@code /jobs/{id}}: a UUID, upper-case hex accepted and normalised. Anything else
 * answers 404 like any unknown job (no job can have it), without asking the projection.
 */
public final class JobId {

    private static final Pattern UUID_ANY_CASE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private JobId() {
    }

    /** The lower-case id, or a 404 problem. */
    public static String parse(String id) {
        if (!UUID_ANY_CASE.matcher(id).matches()) {
            throw notFound(id);
        }
        return id.toLowerCase(Locale.ROOT);
    }

    /**
     * The 404 of a job that does not exist, or that the caller may not see: the two must not be told apart, so
     * this is the one place their answer is made.
     */
    public static ApiProblemException notFound(String id) {
        return ApiProblemException.notFound("No job " + shorten(id) + ".");
    }

    private static String shorten(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "...";
    }
}
