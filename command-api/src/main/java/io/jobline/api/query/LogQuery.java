package io.jobline.api.query;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;

/**
 * The parsed query of {@code GET /jobs/{id}/logs}. A parameter given with an empty value counts as not given.
 *
 * @param attempt the attempt whose lines to read, at least 1, or null for the job's current attempt
 * @param tail    only the last this many lines, {@value #MIN_TAIL}..{@value #MAX_TAIL}, or null for all (the
 *                projection caps an answer at {@value #MAX_TAIL} lines)
 */
public record LogQuery(Integer attempt, Integer tail) {

    public static final int MIN_TAIL = 1;
    public static final int MAX_TAIL = 10_000;

    /** ASCII digits only (Integer.parseInt would also take "+5" and other scripts' digits), short enough for an int. */
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    /** Parses the raw parameters, or throws a 400 problem naming each bad one. */
    public static LogQuery parse(String attempt, String tail) {
        List<FieldError> errors = new ArrayList<>();
        Integer parsedAttempt = null;
        if (attempt != null && !attempt.isEmpty()) {
            parsedAttempt = DIGITS.matcher(attempt).matches() ? Integer.parseInt(attempt) : null;
            if (parsedAttempt == null || parsedAttempt < 1) {
                errors.add(new FieldError("attempt", "must be a whole number of at least 1"));
            }
        }
        Integer parsedTail = null;
        if (tail != null && !tail.isEmpty()) {
            parsedTail = DIGITS.matcher(tail).matches() ? Integer.parseInt(tail) : null;
            if (parsedTail == null || parsedTail < MIN_TAIL || parsedTail > MAX_TAIL) {
                errors.add(new FieldError("tail", "must be a whole number between " + MIN_TAIL + " and " + MAX_TAIL));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return new LogQuery(parsedAttempt, parsedTail);
    }
}
