package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

class SnakemakePropertiesTest {

    private static Binder binderOf(String resource) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(resource, new ClassPathResource(resource));
        sources.forEach(environment.getPropertySources()::addLast);
        return new Binder(ConfigurationPropertySources.get(environment));
    }

    @Test
    void theServiceConfigurationHoldsTheDefaults() throws Exception {
        Binder binder = binderOf("job-processor.yml");
        assertThat(binder.bind("jobline.snakemake", SnakemakeProperties.class).get())
                .isEqualTo(SnakemakeProperties.defaults());
        assertThat(binder.bind("jobline.mock.workflows", String[].class).get()).containsExactly("mock");
    }

    @Test
    void bindsTheDefaultsWhenNothingIsConfigured() {
        Binder empty = new Binder(ConfigurationPropertySources.get(new StandardEnvironment()));
        assertThat(empty.bindOrCreate("jobline.snakemake", SnakemakeProperties.class))
                .isEqualTo(SnakemakeProperties.defaults());
    }

    @Test
    void perWorkflowRunTimesOverrideTheDefault() {
        SnakemakeProperties settings = new SnakemakeProperties(Path.of("w"), Path.of("r"), "snakemake", 1,
                Duration.ofSeconds(10), Duration.ofMinutes(1), 20, Duration.ofHours(1), Map.of("steps", Duration.ofMinutes(2)),
                SnakemakeProperties.Parameters.defaults());
        assertThat(settings.maxRunTimeOf("steps")).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.maxRunTimeOf("wordcount")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void rejectsNonsense() {
        SnakemakeProperties.Parameters parameters = SnakemakeProperties.Parameters.defaults();
        assertThatThrownBy(() -> new SnakemakeProperties(Path.of("w"), Path.of("r"), "snakemake", 0,
                Duration.ofSeconds(1), Duration.ofMinutes(1), 20, Duration.ofHours(1), Map.of(), parameters))
                .hasMessageContaining("jobline.snakemake.cores");
        assertThatThrownBy(() -> new SnakemakeProperties(Path.of("w"), Path.of("r"), " ", 1,
                Duration.ofSeconds(1), Duration.ofMinutes(1), 20, Duration.ofHours(1), Map.of(), parameters))
                .hasMessageContaining("jobline.snakemake.executable");
        assertThatThrownBy(() -> new SnakemakeProperties(Path.of("w"), Path.of("r"), "snakemake", 1,
                Duration.ofSeconds(1), Duration.ofMinutes(1), 20, Duration.ZERO, Map.of(), parameters))
                .hasMessageContaining("jobline.snakemake.max-run-time");
        assertThatThrownBy(() -> new SnakemakeProperties(Path.of("w"), Path.of("r"), "snakemake", 1,
                Duration.ofSeconds(1), Duration.ofMinutes(1), 20, Duration.ofHours(1),
                Map.of("steps", Duration.ofSeconds(-1)), parameters))
                .hasMessageContaining("jobline.snakemake.max-run-time-per-workflow.steps");
        assertThatThrownBy(() -> new SnakemakeProperties(Path.of("w"), Path.of("r"), "snakemake", 1,
                Duration.ofSeconds(1), Duration.ZERO, 20, Duration.ofHours(1), Map.of(), parameters))
                .hasMessageContaining("jobline.snakemake.reap-interval");
        assertThatThrownBy(() -> new SnakemakeProperties.Parameters(true, "[", ".*", 10))
                .hasMessageContaining("jobline.snakemake.parameters.key-pattern is not a valid regular expression");
    }
}
