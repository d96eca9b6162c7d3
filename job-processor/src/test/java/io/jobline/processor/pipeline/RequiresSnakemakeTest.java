package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class RequiresSnakemakeTest {

    @Test
    void runsWhereSnakemakeIsInstalled() {
        assertThat(RequiresSnakemake.evaluate(Optional.of(Path.of("/usr/bin/snakemake")), "true").isDisabled()).isFalse();
        assertThat(RequiresSnakemake.evaluate(Optional.of(Path.of("/usr/bin/snakemake")), null).isDisabled()).isFalse();
    }

    @Test
    void skipsWithoutSnakemakeOutsideCi() {
        assertThat(RequiresSnakemake.evaluate(Optional.empty(), null).isDisabled()).isTrue();
        assertThat(RequiresSnakemake.evaluate(Optional.empty(), "false").isDisabled()).isTrue();
    }

    @Test
    void failsWithoutSnakemakeInCi() {
        assertThatThrownBy(() -> RequiresSnakemake.evaluate(Optional.empty(), "true"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("CI=true");
    }
}
