package io.jobline.projection.listing;

import java.util.OptionalLong;

/**
 * Job ids are UUIDv7 strings, {@code tttttttt-tttt-7xxx-...}: the first 48 bits are the submission time in
 * milliseconds, written as 12 lowercase hex digits, so the string order of ids is the order of their
 * submission times and a time range is an id range.
 */
public final class JobIds {

    /** The largest time a UUIDv7 can hold (48 bits of milliseconds, in the year 10889). */
    public static final long MAX_MILLIS = (1L << 48) - 1;

    /** Sorts above every character of a job id: the upper bound of "any id". */
    static final String ABOVE_ALL = "~";

    private JobIds() {
    }

    /** The submission time held by a UUIDv7 id, or empty when {@code id} does not look like one. */
    public static OptionalLong millisOf(String id) {
        if (id == null || id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-') {
            return OptionalLong.empty();
        }
        long millis = 0;
        for (int i = 0; i < 13; i++) {
            if (i == 8) {
                continue;
            }
            int digit = Character.digit(id.charAt(i), 16);
            if (digit < 0 || Character.isUpperCase(id.charAt(i))) {
                return OptionalLong.empty();
            }
            millis = (millis << 4) | digit;
        }
        return OptionalLong.of(millis);
    }

    /**
     * The shortest string that every id submitted at or after {@code millis} sorts at or above, and every id
     * submitted before it sorts below: the first 13 characters of such an id. Never equal to an id.
     */
    public static String floor(long millis) {
        String hex = String.format("%012x", Math.max(0, Math.min(MAX_MILLIS, millis)));
        return hex.substring(0, 8) + '-' + hex.substring(8);
    }
}
