package io.jobline.api.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The opaque {@code pageToken} of {@code GET /jobs}: base64url (no padding) of {@code v1:<last job id of the
 * previous page>}. It maps to the projection's {@code after} parameter. The version prefix lets the format change
 * later while old tokens are still recognised (or rejected with a clear 400).
 */
public final class PageToken {

    private static final String PREFIX = "v1:";
    private static final int MAX_TOKEN_LENGTH = 128;
    static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private PageToken() {
    }

    public static String encode(String lastJobId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastJobId).getBytes(StandardCharsets.US_ASCII));
    }

    /** The job id the token points after, or empty when it is not a token this API issued. */
    public static Optional<String> decode(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String id = text.substring(PREFIX.length());
        return UUID_PATTERN.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }
}
