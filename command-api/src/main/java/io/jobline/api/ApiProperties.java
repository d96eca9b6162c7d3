package io.jobline.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The service's own settings, {@code jobline.api.*} in {@code command-api.yml}.
 *
 * @param workflows                  workflows a job may name besides those found in {@code workflowsDir} (the mock
 *                                   pipeline's names); anything else is rejected with 400
 * @param workflowsDir               folder of Snakemake workflows, one sub-folder per workflow holding a
 *                                   {@code Snakefile}; scanned once at start-up; relative to the working directory;
 *                                   may be missing
 * @param parameterValuePattern      regular expression every parameter value must match as a whole; the default
 *                                   allows letters, digits, space and {@code ._,:=+@%/-}, so no shell
 *                                   metacharacter, quote, backslash or control character reaches a workflow
 * @param kafkaAckTimeout            how long {@code POST /jobs} waits for Kafka to acknowledge the command
 *                                   before it answers 503; also bounds the producer's own timeouts
 * @param retryAfter                 the {@code Retry-After} sent with a 503 when the cause gives none
 * @param projectionUrl              base URL of the status-projection's internal query API
 * @param projectionTimeout          how long a read waits for the projection (it may itself wait up to 5 s
 *                                   for read-your-writes, so keep this above that)
 * @param projectionConnectTimeout   TCP connect timeout towards the projection
 * @param projectionMaxResponseSize  the largest projection answer the API buffers (a page of 500 jobs)
 * @param brokerProbeTimeout         how long the readiness check waits for the Kafka cluster
 * @param idempotencyConfirmTimeout  how long {@code POST /jobs} with an {@code Idempotency-Key} waits for the
 *                                   projection to confirm which submission the key stands for, at most 10 s;
 *                                   then 503 (the client retries with the same key)
 */
@ConfigurationProperties("jobline.api")
public record ApiProperties(
        @DefaultValue("mock") List<String> workflows,
        @DefaultValue("workflows") Path workflowsDir,
        @DefaultValue(ApiProperties.DEFAULT_PARAMETER_VALUE_PATTERN) String parameterValuePattern,
        @DefaultValue("5s") Duration kafkaAckTimeout,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue("http://localhost:8081") URI projectionUrl,
        @DefaultValue("10s") Duration projectionTimeout,
        @DefaultValue("2s") Duration projectionConnectTimeout,
        @DefaultValue("64MB") DataSize projectionMaxResponseSize,
        @DefaultValue("2s") Duration brokerProbeTimeout,
        @DefaultValue("10s") Duration idempotencyConfirmTimeout) {

    /** Letters, digits, space and {@code ._,:=+@%/-}; the empty value too. */
    public static final String DEFAULT_PARAMETER_VALUE_PATTERN = "[\\p{L}\\p{Nd} ._,:=+@%/-]*";

    public ApiProperties {
        // may be empty when workflowsDir provides the workflows; AllowedWorkflows checks that some are allowed
        workflows = workflows == null ? List.of() : List.copyOf(workflows);
        if (workflowsDir == null) {
            throw new IllegalArgumentException("jobline.api.workflows-dir must not be empty");
        }
        if (parameterValuePattern == null) {
            throw new IllegalArgumentException("jobline.api.parameter-value-pattern must not be empty");
        }
        try {
            Pattern.compile(parameterValuePattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("jobline.api.parameter-value-pattern is not a valid regular expression: "
                    + e.getDescription(), e);
        }
        requirePositive("kafka-ack-timeout", kafkaAckTimeout);
        requirePositive("retry-after", retryAfter);
        requirePositive("projection-timeout", projectionTimeout);
        requirePositive("projection-connect-timeout", projectionConnectTimeout);
        requirePositive("broker-probe-timeout", brokerProbeTimeout);
        requirePositive("idempotency-confirm-timeout", idempotencyConfirmTimeout);
        if (idempotencyConfirmTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("jobline.api.idempotency-confirm-timeout must be at most 10s "
                    + "(the longest wait the projection grants)");
        }
        if (projectionMaxResponseSize.toBytes() <= 0 || projectionMaxResponseSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("jobline.api.projection-max-response-size must be between 1 B and 2 GB");
        }
    }

    /** {@link #parameterValuePattern()}, compiled. */
    public Pattern parameterValueRegex() {
        return Pattern.compile(parameterValuePattern);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("jobline.api." + name + " must be a positive duration");
        }
    }

}
