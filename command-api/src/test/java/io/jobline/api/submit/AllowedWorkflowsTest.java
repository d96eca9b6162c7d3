package io.jobline.api.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedWorkflowsTest {

    @TempDir
    Path dir;

    @Test
    void everyWellNamedFolderWithASnakefileIsAllowedBesideTheConfiguredNames() throws IOException {
        workflow("wordcount");
        workflow("fail-at");
        workflow("a_b-9");
        workflow("0lead");
        workflow("Upper");                     // upper case: not a workflow name
        workflow("-dash");                     // must start with a letter or digit
        workflow(".hidden");
        workflow("x".repeat(65));              // too long
        workflow("has space");
        Files.createDirectories(dir.resolve("empty"));                      // no Snakefile
        Files.createDirectories(dir.resolve("snakefile-is-a-folder/Snakefile"));
        Files.createDirectories(dir.resolve("lowercase"));
        Files.writeString(dir.resolve("lowercase/snakefile"), "");          // the name is Snakefile
        Files.writeString(dir.resolve("plainfile"), "");

        AllowedWorkflows allowed = new AllowedWorkflows(List.of("mock", "mock-fast"), dir);

        assertThat(allowed.names()).containsExactly("mock", "mock-fast", "0lead", "a_b-9", "fail-at", "wordcount");
        assertThat(allowed.allows("wordcount")).isTrue();
        assertThat(allowed.allows("empty")).isFalse();
        assertThat(allowed.allows("Upper")).isFalse();
    }

    @Test
    void aMissingFolderAddsNothing() {
        AllowedWorkflows allowed = new AllowedWorkflows(List.of("mock"), dir.resolve("absent"));
        assertThat(allowed.names()).containsExactly("mock");
    }

    @Test
    void aFileInsteadOfAFolderAddsNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("workflows"), "");
        assertThat(new AllowedWorkflows(List.of("mock"), file).names()).containsExactly("mock");
    }

    @Test
    void theFolderAloneMayProvideTheWorkflows() throws IOException {
        workflow("wordcount");
        assertThat(new AllowedWorkflows(List.of(), dir).names()).containsExactly("wordcount");
    }

    @Test
    void noWorkflowAtAllFailsStartUp() {
        assertThatThrownBy(() -> new AllowedWorkflows(List.of(), dir.resolve("absent")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No workflow is allowed");
    }

    @Test
    void aNameInBothIsListedOnce() throws IOException {
        workflow("mock");
        assertThat(new AllowedWorkflows(List.of("mock"), dir).names()).containsExactly("mock");
    }

    private void workflow(String name) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve("Snakefile"), "rule all:\n    shell: 'true'\n");
    }
}
