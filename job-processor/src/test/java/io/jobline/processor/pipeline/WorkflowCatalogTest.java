package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowCatalogTest {

    @TempDir
    Path dir;

    private void workflow(String folder, boolean withDefaults) throws IOException {
        Path path = Files.createDirectories(dir.resolve(folder));
        Files.writeString(path.resolve("Snakefile"), "rule all:\n    output: 'x'\n");
        if (withDefaults) {
            Files.writeString(path.resolve("config.yaml"), "n: 1\n");
        }
    }

    @Test
    void findsEveryFolderWithASnakefileAndItsDefaults() throws IOException {
        workflow("beta", false);
        workflow("alpha-1", true);
        workflow("a_b", false);
        Files.createDirectories(dir.resolve("no-snakefile"));
        Files.writeString(dir.resolve("README.md"), "not a workflow");

        assertThat(WorkflowCatalog.scan(dir)).containsExactly(
                new WorkflowCatalog.Workflow("a_b", dir.resolve("a_b/Snakefile"), Optional.empty()),
                new WorkflowCatalog.Workflow("alpha-1", dir.resolve("alpha-1/Snakefile"),
                        Optional.of(dir.resolve("alpha-1/config.yaml"))),
                new WorkflowCatalog.Workflow("beta", dir.resolve("beta/Snakefile"), Optional.empty()));
    }

    @Test
    void ignoresFoldersWhoseNameIsNotAValidWorkflowName() throws IOException {
        workflow("ok", false);
        for (String invalid : new String[] {"Upper", "_leading", "-leading", "has.dot", "has space", "x".repeat(65)}) {
            workflow(invalid, false);
        }
        workflow("x".repeat(64), false);

        assertThat(WorkflowCatalog.scan(dir)).extracting(WorkflowCatalog.Workflow::name)
                .containsExactly("ok", "x".repeat(64));
    }

    @Test
    void aMissingFolderHasNoWorkflows() {
        assertThat(WorkflowCatalog.scan(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void givesAbsolutePathsForARelativeFolder() {
        assertThat(WorkflowCatalog.scan(Path.of("..", "workflows")))
                .extracting(WorkflowCatalog.Workflow::name).contains("steps", "wordcount");
        assertThat(WorkflowCatalog.scan(Path.of("..", "workflows"))).allSatisfy(workflow -> {
            assertThat(workflow.snakefile()).isAbsolute().isRegularFile();
            assertThat(workflow.defaults()).hasValueSatisfying(defaults -> assertThat(defaults).isAbsolute());
        });
    }
}
