package io.jobline.projection.query;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jobline.schemas.JobStatus;

/** Parsing of the query API's parameters; each failure is a {@link BadParameterException} naming the parameter. */
final class QueryParameters {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private QueryParameters() {
    }

    static JobStatus status(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return JobStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(field, "must be one of " + Arrays.toString(JobStatus.values()));
        }
    }

    static int wholeNumber(String field, String text, int min, int max, int absent) {
        if (text == null) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadParameterException(field, "must be a whole number from " + min + " to " + max);
    }

    static long longNumber(String field, String text, long min, long absent) {
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadParameterException(field, "must be a whole number of at least " + min);
    }

    static String jobId(String field, String text) {
        if (text == null) {
            return null;
        }
        String id = text.trim().toLowerCase(Locale.ROOT);
        if (!UUID_TEXT.matcher(id).matches()) {
            throw new BadParameterException(field, "must be a job id");
        }
        return id;
    }

    static String workflow(String field, String text) {
        if (text == null) {
            return null;
        }
        if (text.isBlank() || text.length() > 200 || text.chars().anyMatch(Character::isISOControl)) {
            throw new BadParameterException(field, "must be a workflow name (1 to 200 characters, no control characters)");
        }
        return text;
    }

    /** The longest owner a listing may filter by (owners are principals: API key names, token subjects). */
    static final int MAX_OWNER_LENGTH = 200;

    static String owner(String field, String text) {
        if (text == null) {
            return null;
        }
        if (text.isBlank() || text.length() > MAX_OWNER_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
            throw new BadParameterException(field,
                    "must be an owner (1 to " + MAX_OWNER_LENGTH + " characters, no control characters)");
        }
        return text;
    }

    /** An ISO-8601 instant, {@code 2026-11-29T08:00:00Z} or with an offset. */
    static Instant instant(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text.trim()).toInstant();
            } catch (DateTimeParseException again) {
                throw new BadParameterException(field, "must be an ISO-8601 instant such as 2026-11-29T08:00:00Z");
            }
        }
    }

    /** An ISO-8601 duration ({@code PT30S}) or a short one ({@code 30s}, {@code 500ms}, {@code 1m}), in {@code [0, max]}. */
    static Duration duration(String field, String text, Duration max, Duration absent) {
        if (text == null) {
            return absent;
        }
        String value = text.trim();
        Duration duration = null;
        Matcher shortForm = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            duration = switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        } else {
            try {
                duration = Duration.parse(value);
            } catch (DateTimeParseException e) {
                // below
            }
        }
        if (duration == null || duration.isNegative() || duration.compareTo(max) > 0) {
            throw new BadParameterException(field, "must be a duration such as 30s or PT30S, at most " + max.toSeconds() + "s");
        }
        return duration;
    }

    static boolean flag(String field, String text) {
        if (text == null) {
            return false;
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new BadParameterException(field, "must be true or false");
    }

    /** A comma-separated list of partition numbers. */
    static List<Integer> partitions(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            List<Integer> partitions = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(Integer::parseInt).toList();
            if (partitions.stream().allMatch(p -> p >= 0)) {
                return partitions;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadParameterException(field, "must be partition numbers separated by commas");
    }
}
