package io.jobline.api.security;

/**
 * What an owner may look like, wherever it comes from (the API key table, a JWT claim): it is written into every
 * job, filtered on in listings and hashed into idempotency keys, so it is short and has no control characters or
 * white space.
 */
public final class Owners {

    public static final int MAX_LENGTH = 128;

    private Owners() {
    }

    public static boolean isValid(String owner) {
        if (owner == null || owner.isEmpty() || owner.length() > MAX_LENGTH) {
            return false;
        }
        return owner.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c)
                || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE);
    }

    /** The rule, for error messages. */
    public static String rule() {
        return "1 to " + MAX_LENGTH + " characters, without control characters or white space";
    }
}
