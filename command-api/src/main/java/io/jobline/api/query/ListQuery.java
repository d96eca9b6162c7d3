package io.jobline.api.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;
import io.jobline.schemas.JobStatus;

/**
 * The parsed query of {@code GET /jobs}. A parameter given with an empty value counts as not given.
 *
 * @param status filter on this status, or null for all
 * @param limit  page size, {@value #MIN_LIMIT}..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}
 * @param after  the job id the page starts after (from the page token), or null for the first page
 */
public record ListQuery(JobStatus status, int limit, String after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 500;

    /** ASCII digits only (Integer.parseInt would also take "+5" and other scripts' digits), short enough for an int. */
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    /** Parses the raw parameters, or throws a 400 problem naming each bad one. */
    public static ListQuery parse(String status, String limit, String pageToken) {
        List<FieldError> errors = new ArrayList<>();
        JobStatus parsedStatus = null;
        if (status != null && !status.isEmpty()) {
            parsedStatus = Arrays.stream(JobStatus.values()).filter(s -> s.name().equals(status)).findFirst().orElse(null);
            if (parsedStatus == null) {
                errors.add(new FieldError("status", "must be one of " + Arrays.toString(JobStatus.values())));
            }
        }
        int parsedLimit = DEFAULT_LIMIT;
        if (limit != null && !limit.isEmpty()) {
            if (!DIGITS.matcher(limit).matches()) {
                errors.add(new FieldError("limit", "must be a whole number between " + MIN_LIMIT + " and " + MAX_LIMIT));
            } else {
                parsedLimit = Integer.parseInt(limit);
                if (parsedLimit < MIN_LIMIT || parsedLimit > MAX_LIMIT) {
                    errors.add(new FieldError("limit", "must be between " + MIN_LIMIT + " and " + MAX_LIMIT));
                }
            }
        }
        String after = null;
        if (pageToken != null && !pageToken.isEmpty()) {
            after = PageToken.decode(pageToken).orElse(null);
            if (after == null) {
                errors.add(new FieldError("pageToken", "is not a page token issued by this API"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return new ListQuery(parsedStatus, parsedLimit, after);
    }
}
