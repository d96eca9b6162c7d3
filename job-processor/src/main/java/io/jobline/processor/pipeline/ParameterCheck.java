package io.jobline.processor.pipeline;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a job's parameters before Snakemake sees them. The API applies the same rules; this is the second line,
 * for commands that did not come through it. Snakemake pastes config values unquoted into shell commands and file
 * names unless a workflow quotes them, so the default rules leave out everything a shell or a path could act on.
 */
final class ParameterCheck {

    private static final int MAX_SHOWN = 40;

    private final boolean enabled;
    private final Pattern keyPattern;
    private final Pattern valuePattern;
    private final int maxValueLength;

    ParameterCheck(SnakemakeProperties.Parameters rules) {
        this.enabled = rules.check();
        this.keyPattern = Pattern.compile(rules.keyPattern());
        this.valuePattern = Pattern.compile(rules.valuePattern());
        this.maxValueLength = rules.maxValueLength();
    }

    /** Checks the parameters in name order, so the first offending one is reported the same way every time. */
    void check(Map<String, String> parameters) throws CannotStartException {
        if (!enabled) {
            return;
        }
        for (Map.Entry<String, String> parameter : new TreeMap<>(parameters).entrySet()) {
            String problem = problemWith(parameter.getKey(), parameter.getValue());
            if (problem != null) {
                throw new CannotStartException("parameter " + show(parameter.getKey()) + " " + problem);
            }
        }
    }

    private String problemWith(String key, String value) {
        if (!keyPattern.matcher(key).matches()) {
            return "has a name that does not match " + keyPattern.pattern();
        }
        if (value == null) {
            return "has no value";
        }
        if (value.length() > maxValueLength) {
            return "is " + value.length() + " characters long, at most " + maxValueLength + " are allowed";
        }
        if (!valuePattern.matcher(value).matches()) {
            return "has a value with characters that are not allowed (it must match " + valuePattern.pattern() + ")";
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

    /** A name as it can be shown in a reason: shortened, with control characters escaped. */
    private static String show(String key) {
        StringBuilder shown = new StringBuilder("'");
        key.codePoints().limit(MAX_SHOWN).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        if (key.codePointCount(0, key.length()) > MAX_SHOWN) {
            shown.append("...");
        }
        return shown.append("'").toString();
    }
}
