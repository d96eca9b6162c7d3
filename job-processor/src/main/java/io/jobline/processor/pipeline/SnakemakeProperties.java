package io.jobline.processor.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Snakemake pipelines, {@code jobline.snakemake.*}.
 *
 * @param workflowsDir          the workflow catalog: each sub-folder with a valid name and a {@code Snakefile} is a
 *                              workflow (relative paths are relative to the working directory)
 * @param workRoot              runs happen in {@code <work-root>/<job id>/attempt-<n>}
 * @param executable            the Snakemake command, looked up on the PATH unless it holds a {@code /}
 * @param cores                 {@code --cores} of every run
 * @param stopGrace             after SIGTERM to a run's process group, how long before SIGKILL
 * @param reapInterval          how often the work root is scanned for runs whose processor died
 *                              ({@link OrphanReaper}); the first scan is at start-up
 * @param logTailLines          how many of the last output lines a failure or a stop carries
 * @param maxRunTime            how long a run may take before the processor stops it ({@code TIMEOUT})
 * @param maxRunTimePerWorkflow overrides of {@code max-run-time} by workflow name
 * @param parameters            which job parameters a run accepts
 */
@ConfigurationProperties("jobline.snakemake")
public record SnakemakeProperties(
        @DefaultValue("workflows") Path workflowsDir,
        @DefaultValue("data/job-processor/runs") Path workRoot,
        @DefaultValue("snakemake") String executable,
        @DefaultValue("1") int cores,
        @DefaultValue("10s") Duration stopGrace,
        @DefaultValue("1m") Duration reapInterval,
        @DefaultValue("20") int logTailLines,
        @DefaultValue("1h") Duration maxRunTime,
        Map<String, Duration> maxRunTimePerWorkflow,
        @DefaultValue Parameters parameters) {

    public SnakemakeProperties {
        if (executable == null || executable.isBlank()) {
            throw new IllegalArgumentException("jobline.snakemake.executable must not be blank");
        }
        if (cores < 1) {
            throw new IllegalArgumentException("jobline.snakemake.cores must be at least 1, got " + cores);
        }
        if (stopGrace == null || stopGrace.isNegative()) {
            throw new IllegalArgumentException("jobline.snakemake.stop-grace must not be negative, got " + stopGrace);
        }
        requirePositive("jobline.snakemake.reap-interval", reapInterval);
        if (logTailLines < 0) {
            throw new IllegalArgumentException("jobline.snakemake.log-tail-lines must not be negative, got " + logTailLines);
        }
        maxRunTimePerWorkflow = maxRunTimePerWorkflow == null ? Map.of() : Map.copyOf(maxRunTimePerWorkflow);
        requirePositive("jobline.snakemake.max-run-time", maxRunTime);
        maxRunTimePerWorkflow.forEach((workflow, limit) ->
                requirePositive("jobline.snakemake.max-run-time-per-workflow." + workflow, limit));
    }

    /** The defaults: what the local run uses. */
    public static SnakemakeProperties defaults() {
        return new SnakemakeProperties(Path.of("workflows"), Path.of("data/job-processor/runs"), "snakemake", 1,
                Duration.ofSeconds(10), Duration.ofMinutes(1), 20, Duration.ofHours(1), Map.of(), Parameters.defaults());
    }

    public Duration maxRunTimeOf(String workflow) {
        return maxRunTimePerWorkflow.getOrDefault(workflow, maxRunTime);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /**
     * The rules a job's parameters must follow before Snakemake sees them (the API checks them too). Beyond the
     * patterns, a value must not be an absolute path nor contain a {@code ..} path segment.
     *
     * @param check          false lets every parameter through (only for tests of the workflows' own quoting)
     * @param keyPattern     what a parameter name must match, in full
     * @param valuePattern   what a value must match, in full; the default allows letters, digits, space and
     *                       {@code _ . , : = + @ % / -} (as the API does), so no shell metacharacter, quote, backslash or control character
     * @param maxValueLength the longest value, in characters
     */
    public record Parameters(
            @DefaultValue("true") boolean check,
            @DefaultValue(DEFAULT_KEY_PATTERN) String keyPattern,
            @DefaultValue(DEFAULT_VALUE_PATTERN) String valuePattern,
            @DefaultValue("" + DEFAULT_MAX_VALUE_LENGTH) int maxValueLength) {

        public static final String DEFAULT_KEY_PATTERN = "[A-Za-z_][A-Za-z0-9_.-]{0,63}";
        public static final String DEFAULT_VALUE_PATTERN = "[\\p{L}\\p{Nd} _.,:=+@%/-]*";
        /** As many characters as the API's limit of 4 KiB of UTF-8 can hold. */
        public static final int DEFAULT_MAX_VALUE_LENGTH = 4096;

        public Parameters {
            requireRegex("jobline.snakemake.parameters.key-pattern", keyPattern);
            requireRegex("jobline.snakemake.parameters.value-pattern", valuePattern);
            if (maxValueLength < 0) {
                throw new IllegalArgumentException(
                        "jobline.snakemake.parameters.max-value-length must not be negative, got " + maxValueLength);
            }
        }

        public static Parameters defaults() {
            return new Parameters(true, DEFAULT_KEY_PATTERN, DEFAULT_VALUE_PATTERN, DEFAULT_MAX_VALUE_LENGTH);
        }

        /** Lets every parameter through: only for tests that prove a workflow passes hostile values inertly. */
        public static Parameters unchecked() {
            return new Parameters(false, DEFAULT_KEY_PATTERN, DEFAULT_VALUE_PATTERN, DEFAULT_MAX_VALUE_LENGTH);
        }

        private static void requireRegex(String name, String regex) {
            if (regex == null) {
                throw new IllegalArgumentException(name + " must be set");
            }
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(name + " is not a valid regular expression: " + e.getMessage());
            }
        }
    }
}
