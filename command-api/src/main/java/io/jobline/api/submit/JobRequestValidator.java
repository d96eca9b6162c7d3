package io.jobline.api.submit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.jobline.api.problem.ApiProblemException;
import io.jobline.api.problem.FieldError;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * The rules of a {@code POST /jobs} body, applied to the raw bytes. Pure: no I/O, no Spring, safe for any input.
 * The body is read with a streaming parser, so every rule can name the field it is about, duplicate keys are
 * seen (a tree parser would silently keep the last), and hostile input (deep nesting, huge numbers, broken
 * UTF-8) ends as a 400 naming {@code body}, never as an exception.
 *
 * <p>Rules: the body is at most {@value #MAX_BODY_BYTES} bytes (else 413) of one JSON object, nested at most
 * {@value #MAX_NESTING_DEPTH} deep; {@code workflow} is required,
 * a string, one of the configured workflows; {@code parameters} is optional (absent means none; {@code null} is
 * rejected) and, when given, a JSON object of at most {@value #MAX_PARAMETERS} entries whose keys match
 * {@link #KEY_PATTERN} and whose values are strings of at most {@value #MAX_VALUE_BYTES} UTF-8 bytes, without NUL
 * and without unpaired surrogates (they cannot be encoded as UTF-8), matching the configured value pattern as a
 * whole, neither an absolute path nor holding a {@code ..} path segment; no other top-level field; no key twice.
 *
 * <p>The value rules exist because Snakemake pastes config values unquoted into {@code shell:} commands and
 * wildcards unless a Snakefile quotes them: the default pattern lets no shell metacharacter, quote, backslash or
 * control character through, and the path rules keep a value from pointing outside a job's working directory.
 */
public final class JobRequestValidator {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_PARAMETERS = 100;
    public static final int MAX_VALUE_BYTES = 4 * 1024;
    public static final int MAX_NESTING_DEPTH = 64;
    public static final Pattern KEY_PATTERN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    /** At most this many errors are reported, so a hostile body cannot make a huge answer. */
    public static final int MAX_ERRORS = 20;

    private static final int MAX_NAME_SHOWN = 80;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_BODY_BYTES)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(1000)
                    .maxStringLength(MAX_BODY_BYTES)
                    .maxNameLength(MAX_BODY_BYTES)
                    .build())
            .build();

    private final Set<String> workflows;
    private final Pattern valuePattern;

    /**
     * @param workflows    the workflows a job may name
     * @param valuePattern what every parameter value must match as a whole
     */
    public JobRequestValidator(Collection<String> workflows, Pattern valuePattern) {
        this.workflows = new LinkedHashSet<>(workflows);
        this.valuePattern = valuePattern;
    }

    /**
     * The request in {@code body}, or an {@link ApiProblemException} (400) listing every violated rule (the first
     * {@value #MAX_ERRORS}), the first being the one named as {@code field}.
     */
    public SubmitJobRequest validate(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiProblemException.invalid("body", "must be a JSON object, got an empty body");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw bodyTooLarge();
        }
        Errors errors = new Errors();
        String workflow = null;
        Map<String, String> parameters = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw ApiProblemException.invalid("body", "must be a JSON object, got only whitespace");
            }
            if (token != JsonToken.START_OBJECT) {
                throw ApiProblemException.invalid("body", "must be a JSON object, got " + describe(token));
            }
            Set<String> seen = new HashSet<>();
            boolean workflowGiven = false;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!seen.add(name)) {
                    errors.add(show(name), "is given more than once");
                    parser.skipChildren();
                    continue;
                }
                switch (name) {
                    case "workflow" -> {
                        workflowGiven = true;
                        if (value == JsonToken.VALUE_STRING) {
                            workflow = parser.getString();
                            if (!workflows.contains(workflow)) {
                                errors.add("workflow", "must be one of " + workflows);
                            }
                        } else {
                            errors.add("workflow", "must be a string, got " + describe(value));
                            parser.skipChildren();
                        }
                    }
                    case "parameters" -> {
                        if (value == JsonToken.START_OBJECT) {
                            readParameters(parser, parameters, errors);
                        } else {
                            errors.add("parameters", "must be a JSON object whose values are strings, got "
                                    + describe(value));
                            parser.skipChildren();
                        }
                    }
                    default -> {
                        errors.add(show(name), "is not a known field (known: workflow, parameters)");
                        parser.skipChildren();
                    }
                }
            }
            if (parser.nextToken() != null) {
                throw ApiProblemException.invalid("body", "must hold exactly one JSON object, found more after it");
            }
            if (!workflowGiven) {
                errors.addFirst("workflow", "is required");
            }
        } catch (JacksonException e) {
            throw ApiProblemException.invalid("body", "is not valid JSON: " + shorten(e.getOriginalMessage()));
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors.list());
        }
        return new SubmitJobRequest(workflow, parameters);
    }

    /** 413 naming {@code body}: more than {@value #MAX_BODY_BYTES} bytes. */
    public static ApiProblemException bodyTooLarge() {
        return ApiProblemException.payloadTooLarge("body", "must be at most " + MAX_BODY_BYTES + " bytes");
    }

    private void readParameters(JsonParser parser, Map<String, String> parameters, Errors errors) {
        int count = 0;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            count++;
            String field = "parameters." + show(key);
            if (parameters.containsKey(key)) {
                errors.add(field, "is given more than once");
                parser.skipChildren();
                continue;
            }
            boolean keyValid = KEY_PATTERN.matcher(key).matches();
            if (!keyValid) {
                errors.add(field, "the name must match " + KEY_PATTERN.pattern());
            }
            if (value != JsonToken.VALUE_STRING) {
                errors.add(field, "must be a string, got " + describe(value));
                parser.skipChildren();
                parameters.putIfAbsent(key, null);
                continue;
            }
            String text = parser.getString();
            String problem = checkValue(text);
            if (problem != null) {
                errors.add(field, problem);
            }
            parameters.put(key, text);
        }
        if (count > MAX_PARAMETERS) {
            errors.addFirst("parameters", "must have at most " + MAX_PARAMETERS + " entries, got " + count);
        }
    }

    /** Null when the value is acceptable, else why not. */
    String checkValue(String value) {
        String encodingProblem = checkEncoding(value);
        if (encodingProblem != null) {
            return encodingProblem;
        }
        if (!valuePattern.matcher(value).matches()) {
            return disallowedCharacter(value);
        }
        if (value.startsWith("/")) {
            return "must not be an absolute path";
        }
        for (String segment : value.split("/", -1)) {
            if (segment.equals("..")) {
                return "must not contain a '..' path segment";
            }
        }
        return null;
    }

    /** Why {@code value} does not match the value pattern, naming the first character it does not allow if it can. */
    private String disallowedCharacter(String value) {
        int[] codePoints = value.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            if (!valuePattern.matcher(Character.toString(codePoints[i])).matches()) {
                return "must not contain " + describe(codePoints[i]) + " (character " + (i + 1)
                        + "); values must match " + valuePattern.pattern();
            }
        }
        return "must match " + valuePattern.pattern();
    }

    private static String describe(int codePoint) {
        String hex = String.format("U+%04X", codePoint);
        boolean visible = !Character.isISOControl(codePoint) && !Character.isSpaceChar(codePoint)
                && !Character.isWhitespace(codePoint)
                && Character.getType(codePoint) != Character.FORMAT;
        return visible ? "'" + Character.toString(codePoint) + "' (" + hex + ")" : hex;
    }

    /** Null when the value fits the size limit and is valid Unicode without NUL, else why not. */
    private static String checkEncoding(String value) {
        long bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "must not contain NUL characters";
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    return "must be valid Unicode (has an unpaired surrogate)";
                }
            } else if (Character.isLowSurrogate(c)) {
                return "must be valid Unicode (has an unpaired surrogate)";
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_VALUE_BYTES) {
            return "must be at most " + MAX_VALUE_BYTES + " bytes in UTF-8, got " + bytes;
        }
        return null;
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    /** A client-supplied name as it may appear in an answer: bounded in length. */
    private static String show(String name) {
        return name.length() <= MAX_NAME_SHOWN ? name : name.substring(0, MAX_NAME_SHOWN) + "...";
    }

    private static String shorten(String message) {
        if (message == null) {
            return "malformed";
        }
        String oneLine = message.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private static final class Errors {
        private final List<FieldError> list = new ArrayList<>();

        void add(String field, String message) {
            if (list.size() < MAX_ERRORS) {
                list.add(new FieldError(field, message));
            }
        }

        void addFirst(String field, String message) {
            list.add(0, new FieldError(field, message));
            if (list.size() > MAX_ERRORS) {
                list.remove(list.size() - 1);
            }
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        List<FieldError> list() {
            return list;
        }
    }
}
