package io.jobline.api.query;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;
import io.jobline.schemas.JobStatus;

/**
 * The long-poll of {@code GET /jobs/{id}?waitFor=&timeout=&version=}. A parameter given with an empty value counts as
 * not given; without {@code waitFor} there is no wait, and {@code timeout} or {@code version} alone are refused.
 *
 * @param waitFor a {@link JobStatus} name (answer once the job has it) or {@value #CHANGE} (answer once the view's
 *                version is above {@code version})
 * @param timeout how long to wait at most, {@value #MIN_TIMEOUT_MILLIS} ms to {@link #MAX_TIMEOUT}, default
 *                {@link #DEFAULT_TIMEOUT}; whole milliseconds
 * @param version with {@value #CHANGE} only: the version the client has seen, or null for the version when the
 *                projection receives the request
 */
public record WaitQuery(String waitFor, Duration timeout, Long version) {

    public static final String CHANGE = "change";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    public static final long MIN_TIMEOUT_MILLIS = 1;

    /** {@code 30s}, {@code 500ms}, {@code 1m}: the short forms besides ISO-8601 ({@code PT30S}). */
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final String TIMEOUT_RULE = "must be a duration between 1ms and 60s, such as 30s, 500ms or PT30S";

    /** The wait asked for, null when none is, or a 400 problem naming each bad parameter. */
    public static WaitQuery parse(String waitFor, String timeout, String version) {
        List<FieldError> errors = new ArrayList<>();
        if (!given(waitFor)) {
            if (given(timeout)) {
                errors.add(new FieldError("timeout", "is only allowed with waitFor"));
            }
            if (given(version)) {
                errors.add(new FieldError("version", "is only allowed with waitFor=" + CHANGE));
            }
            if (!errors.isEmpty()) {
                throw ApiProblemException.invalid(errors);
            }
            return null;
        }
        boolean change = CHANGE.equals(waitFor);
        if (!change && Arrays.stream(JobStatus.values()).noneMatch(s -> s.name().equals(waitFor))) {
            errors.add(new FieldError("waitFor",
                    "must be " + CHANGE + " or one of " + Arrays.toString(JobStatus.values())));
        }
        Duration parsedTimeout = DEFAULT_TIMEOUT;
        if (given(timeout)) {
            parsedTimeout = duration(timeout);
            if (parsedTimeout == null) {
                errors.add(new FieldError("timeout", TIMEOUT_RULE));
            }
        }
        Long parsedVersion = null;
        if (given(version)) {
            if (!change) {
                errors.add(new FieldError("version", "is only allowed with waitFor=" + CHANGE));
            } else if (!DIGITS.matcher(version).matches()) {
                errors.add(new FieldError("version", "must be a whole number, 0 or more"));
            } else {
                parsedVersion = Long.parseLong(version);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return new WaitQuery(waitFor, parsedTimeout, parsedVersion);
    }

    /** The duration in whole milliseconds when it is one and within bounds, else null. */
    static Duration duration(String text) {
        Duration duration;
        Matcher shortForm = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            duration = switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        } else {
            try {
                duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        duration = duration.truncatedTo(ChronoUnit.MILLIS);
        if (duration.toMillis() < MIN_TIMEOUT_MILLIS || duration.compareTo(MAX_TIMEOUT) > 0) {
            return null;
        }
        return duration;
    }

    private static boolean given(String value) {
        return value != null && !value.isEmpty();
    }
}
