package io.jobline.processor.pipeline;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The mock pipeline, {@code jobline.mock.*}: a run takes a time drawn uniformly from
 * {@code [min-duration, max-duration]} (fixed when both are equal) and fails with {@code failure-probability}.
 *
 * @param enabled            registers the {@code mock} workflow
 * @param seed               makes the random draws repeatable; null draws from an unseeded generator
 * @param workflows          the workflow names the mock runs (default {@code [mock]})
 */
@ConfigurationProperties("jobline.mock")
public record MockPipelineProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration minDuration,
        @DefaultValue("3s") Duration maxDuration,
        @DefaultValue("0.0") double failureProbability,
        Long seed,
        @DefaultValue("mock") List<String> workflows) {

    public MockPipelineProperties {
        if (minDuration == null || minDuration.isNegative()) {
            throw new IllegalArgumentException("jobline.mock.min-duration must not be negative, got " + minDuration);
        }
        if (maxDuration == null || maxDuration.compareTo(minDuration) < 0) {
            throw new IllegalArgumentException("jobline.mock.max-duration (" + maxDuration
                    + ") must not be shorter than jobline.mock.min-duration (" + minDuration + ")");
        }
        if (!(failureProbability >= 0.0 && failureProbability <= 1.0)) {
            throw new IllegalArgumentException(
                    "jobline.mock.failure-probability must be between 0.0 and 1.0, got " + failureProbability);
        }
        workflows = workflows == null ? List.of(MockPipeline.WORKFLOW) : List.copyOf(workflows);
        for (String workflow : workflows) {
            if (!WorkflowCatalog.NAME.matcher(workflow).matches()) {
                throw new IllegalArgumentException("jobline.mock.workflows: '" + workflow
                        + "' is not a valid workflow name (" + WorkflowCatalog.NAME.pattern() + ")");
            }
        }
        if (new HashSet<>(workflows).size() != workflows.size()) {
            throw new IllegalArgumentException("jobline.mock.workflows names a workflow twice: " + workflows);
        }
    }
}
