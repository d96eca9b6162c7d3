package io.jobline.api.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opaque {@code pageToken} of {@code GET /jobs}: base64url (no padding) of
 * {@code v2:<last job id of the previous page>:<fingerprint of the filters>}. The id maps to the projection's
 * {@code after} parameter; the {@linkplain ListFilters#fingerprint() fingerprint} lets the API refuse a token used
 * with other filters than the listing it came from. The version prefix lets the format change later while old
 * tokens are still recognised (or refused with a clear 400); tokens of version 1 (before filters) are refused.
 *
 * @param after       the last job id of the previous page
 * @param fingerprint the fingerprint of the filters of the listing
 */
public record PageToken(String after, String fingerprint) {

    private static final String PREFIX = "v2:";
    public static final int MAX_TOKEN_LENGTH = 128;
    private static final Pattern CONTENT = Pattern.compile(
            "v2:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([A-Za-z0-9_-]{16})");

    public static String encode(String lastJobId, ListFilters filters) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (PREFIX + lastJobId + ":" + filters.fingerprint()).getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor and fingerprint of the token, or empty when it is not a token this API issued. */
    public static Optional<PageToken> decode(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Matcher content = CONTENT.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        return content.matches() ? Optional.of(new PageToken(content.group(1), content.group(2))) : Optional.empty();
    }

    /** True when the token came from a listing with these filters. */
    public boolean belongsTo(ListFilters filters) {
        return fingerprint.equals(filters.fingerprint());
    }
}
