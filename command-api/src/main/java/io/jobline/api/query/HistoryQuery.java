package io.jobline.api.query;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;

/**
 * The parsed query of {@code GET /jobs/{id}/history}. A parameter given with an empty value counts as not given.
 *
 * @param after only entries with a greater {@code seq} (the last {@code seq} of the previous page), or null for
 *              the first entry on
 * @param limit at most this many entries, {@value #MIN_LIMIT}..{@value #MAX_LIMIT}, or null for the projection's
 *              default (1000)
 */
public record HistoryQuery(Long after, Integer limit) {

    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 10_000;

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern SMALL_DIGITS = Pattern.compile("[0-9]{1,9}");

    /** Parses the raw parameters, or throws a 400 problem naming each bad one. */
    public static HistoryQuery parse(String after, String limit) {
        List<FieldError> errors = new ArrayList<>();
        Long parsedAfter = null;
        if (after != null && !after.isEmpty()) {
            if (DIGITS.matcher(after).matches()) {
                parsedAfter = Long.parseLong(after);
            } else {
                errors.add(new FieldError("after", "must be the seq of an entry: a whole number, 0 or more"));
            }
        }
        Integer parsedLimit = null;
        if (limit != null && !limit.isEmpty()) {
            if (SMALL_DIGITS.matcher(limit).matches()
                    && Integer.parseInt(limit) >= MIN_LIMIT && Integer.parseInt(limit) <= MAX_LIMIT) {
                parsedLimit = Integer.parseInt(limit);
            } else {
                errors.add(new FieldError("limit", "must be a whole number between " + MIN_LIMIT + " and " + MAX_LIMIT));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return new HistoryQuery(parsedAfter, parsedLimit);
    }
}
