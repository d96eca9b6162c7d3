package io.jobline.processor.pipeline;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where Snakemake is installed. Outside CI a missing Snakemake skips it; with {@code CI=true}
 * it fails, so that a CI machine without Snakemake cannot pass by skipping.
 */
final class RequiresSnakemake implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return evaluate(Executables.find("snakemake"), System.getenv("CI"));
    }

    static ConditionEvaluationResult evaluate(Optional<Path> snakemake, String ci) {
        if (snakemake.isPresent()) {
            return ConditionEvaluationResult.enabled("Snakemake is at " + snakemake.get());
        }
        if ("true".equalsIgnoreCase(ci)) {
            throw new ExtensionConfigurationException(
                    "Snakemake is not on the PATH, and CI=true requires it (Debian: apt-get install snakemake)");
        }
        return ConditionEvaluationResult.disabled("Snakemake is not on the PATH: skipped (set CI=true to fail instead)");
    }
}
