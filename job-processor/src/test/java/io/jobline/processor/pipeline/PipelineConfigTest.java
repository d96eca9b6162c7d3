package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The registry as the processor builds it: mock names plus the Snakemake catalog. */
class PipelineConfigTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SnakemakeProperties.class, MockPipelineProperties.class})
    @Import({PipelineConfig.class, SnakemakeWorkflows.class, MockPipeline.class})
    static class Pipelines {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Pipelines.class)
            .withPropertyValues("jobline.snakemake.workflows-dir=../workflows");

    @Test
    void registersTheMockNamesAndTheCatalogsWorkflows() {
        context.withPropertyValues("jobline.mock.workflows=mock,demo").run(ctx -> {
            PipelineRegistry registry = ctx.getBean(PipelineRegistry.class);
            assertThat(registry.workflows()).containsExactly("demo", "mock", "steps", "wordcount");
            assertThat(registry.find("wordcount")).containsInstanceOf(SnakemakePipeline.class);
            assertThat(registry.find("demo")).hasValueSatisfying(pipeline -> assertThat(pipeline.workflow())
                    .isEqualTo("demo"));
        });
    }

    @Test
    void theMockIsCalledMockByDefaultAndCanBeSwitchedOff() {
        context.run(ctx -> assertThat(ctx.getBean(PipelineRegistry.class).workflows())
                .containsExactly("mock", "steps", "wordcount"));
        context.withPropertyValues("jobline.mock.enabled=false").run(ctx ->
                assertThat(ctx.getBean(PipelineRegistry.class).workflows()).containsExactly("steps", "wordcount"));
    }

    @Test
    void aNameClaimedTwiceFailsTheStart() {
        context.withPropertyValues("jobline.mock.workflows=mock,wordcount").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageStartingWith(
                    "workflow 'wordcount' is claimed twice: by mock pipeline 'wordcount' (jobline.mock.workflows) "
                            + "and by Snakemake workflow 'wordcount' (");
        });
    }

    @Test
    void aMissingCatalogLeavesOnlyTheMock() {
        context.withPropertyValues("jobline.snakemake.workflows-dir=no-such-folder").run(ctx ->
                assertThat(ctx.getBean(PipelineRegistry.class).workflows()).containsExactly("mock"));
    }
}
