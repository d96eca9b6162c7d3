package io.jobline.api.submit;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.jobline.api.problem.ApiProblemException;

/**
 * The {@value #HEADER} request header of {@code POST /jobs}: optional; when sent, once, 1 to {@value #MAX_LENGTH}
 * characters of {@code [A-Za-z0-9._:-]} (a UUID fits), else 400 naming the header.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    /** Response header of a {@code 202} that answers with the job an earlier request with the same key made. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final int MAX_LENGTH = 128;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private IdempotencyKeys() {
    }

    /** The key of a request's header values (null when the header is absent), or a 400 problem. */
    public static Optional<String> parse(List<String> values) {
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiProblemException.invalid(HEADER, "must be sent once");
        }
        String key = values.get(0);
        if (!KEY.matcher(key).matches()) {
            throw ApiProblemException.invalid(HEADER,
                    "must be 1 to " + MAX_LENGTH + " characters of letters, digits and ._:- (a UUID, for example)");
        }
        return Optional.of(key);
    }
}
