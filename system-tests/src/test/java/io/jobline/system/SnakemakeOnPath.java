package io.jobline.system;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where {@code snakemake} is on the PATH. On CI ({@code CI=true}) a missing Snakemake fails the
 * build instead: the tests that need it must run there.
 */
final class SnakemakeOnPath implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (found()) {
            return ConditionEvaluationResult.enabled("snakemake is on the PATH");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but snakemake is not on the PATH: install it (apt-get install "
                    + "snakemake) so that the Snakemake tests run");
        }
        return ConditionEvaluationResult.disabled("snakemake is not on the PATH (install Debian's snakemake to run "
                + "these tests)");
    }

    static boolean found() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, "snakemake"))) {
                return true;
            }
        }
        return false;
    }
}
