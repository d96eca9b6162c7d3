package io.jobline.api.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
 * @param filters what to list (see {@link ListFilters})
 * @param limit   page size, {@value #MIN_LIMIT}..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}
 * @param after   the job id the page starts after (from the page token), or null for the first page
 */
public record ListQuery(ListFilters filters, int limit, String after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 500;
    public static final int MAX_WORKFLOW_LENGTH = 128;
    /** The longest instant taken: {@code -999999999-12-31T23:59:59.999999999+18:00:00} fits, anything longer is noise. */
    public static final int MAX_INSTANT_LENGTH = 64;

    /** ASCII digits only (Integer.parseInt would also take "+5" and other scripts' digits), short enough for an int. */
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** The span of 4-digit years: what every client and the projection print and parse alike. */
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final String INSTANT_RULE = "must be an ISO-8601 instant such as 2026-11-29T08:00:00Z";

    /** Parses the raw parameters, or throws a 400 problem naming each bad one. */
    public static ListQuery parse(String status, String workflow, String submittedAfter, String submittedBefore,
            String limit, String pageToken) {
        List<FieldError> errors = new ArrayList<>();
        JobStatus parsedStatus = null;
        if (given(status)) {
            parsedStatus = Arrays.stream(JobStatus.values()).filter(s -> s.name().equals(status)).findFirst().orElse(null);
            if (parsedStatus == null) {
                errors.add(new FieldError("status", "must be one of " + Arrays.toString(JobStatus.values())));
            }
        }
        String parsedWorkflow = null;
        if (given(workflow)) {
            if (workflow.length() > MAX_WORKFLOW_LENGTH || CONTROL.matcher(workflow).find()) {
                errors.add(new FieldError("workflow",
                        "must be a workflow name of at most " + MAX_WORKFLOW_LENGTH + " characters"));
            } else {
                parsedWorkflow = workflow;
            }
        }
        Instant after = instant("submittedAfter", submittedAfter, errors);
        Instant before = instant("submittedBefore", submittedBefore, errors);
        if (after != null && before != null && !after.isBefore(before)) {
            errors.add(new FieldError("submittedBefore", "must be later than submittedAfter (in whole milliseconds)"));
        }
        int parsedLimit = DEFAULT_LIMIT;
        if (given(limit)) {
            if (!DIGITS.matcher(limit).matches()) {
                errors.add(new FieldError("limit", "must be a whole number between " + MIN_LIMIT + " and " + MAX_LIMIT));
            } else {
                parsedLimit = Integer.parseInt(limit);
                if (parsedLimit < MIN_LIMIT || parsedLimit > MAX_LIMIT) {
                    errors.add(new FieldError("limit", "must be between " + MIN_LIMIT + " and " + MAX_LIMIT));
                }
            }
        }
        ListFilters filters = new ListFilters(parsedStatus, parsedWorkflow, after, before);
        String cursor = null;
        if (given(pageToken)) {
            PageToken token = PageToken.decode(pageToken).orElse(null);
            if (token == null) {
                errors.add(new FieldError("pageToken", "is not a page token issued by this API"));
            } else if (errors.isEmpty() && !token.belongsTo(filters)) {
                errors.add(new FieldError("pageToken", "belongs to a listing with other filters: give the same status, "
                        + "workflow, submittedAfter and submittedBefore as for the page it came with"));
            } else {
                cursor = token.after();
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return new ListQuery(filters, parsedLimit, cursor);
    }

    private static boolean given(String value) {
        return value != null && !value.isEmpty();
    }

    /**
     * The instant, rounded up to a whole millisecond (job times are whole milliseconds, so an inclusive lower and an
     * exclusive upper bound keep their meaning), or null when not given. A space stands for a {@code +}: an
     * unencoded {@code +01:00} offset arrives as {@code " 01:00"}, and an instant never holds a space.
     */
    private static Instant instant(String name, String value, List<FieldError> errors) {
        if (!given(value)) {
            return null;
        }
        if (value.length() > MAX_INSTANT_LENGTH) {
            errors.add(new FieldError(name, INSTANT_RULE + ", at most " + MAX_INSTANT_LENGTH + " characters"));
            return null;
        }
        try {
            Instant instant = Instant.parse(value.replace(' ', '+'));
            Instant whole = instant.truncatedTo(ChronoUnit.MILLIS);
            Instant rounded = whole.equals(instant) ? whole : whole.plusMillis(1);
            if (rounded.isBefore(EARLIEST) || rounded.isAfter(LATEST)) {
                errors.add(new FieldError(name, INSTANT_RULE + ", in the years 0000 to 9999"));
                return null;
            }
            return rounded;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, INSTANT_RULE));
            return null;
        }
    }
}
