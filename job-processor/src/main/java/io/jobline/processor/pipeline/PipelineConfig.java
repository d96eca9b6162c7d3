package io.jobline.processor.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry of every workflow this processor runs: the mock's names and the Snakemake catalog's folders. */
@Configuration(proxyBeanMethods = false)
class PipelineConfig {

    private static final Logger log = LoggerFactory.getLogger(PipelineConfig.class);

    @Bean
    PipelineRegistry pipelineRegistry(ObjectProvider<MockPipeline> mock, MockPipelineProperties mockSettings,
            SnakemakeWorkflows snakemake) {
        List<Pipeline> pipelines = new ArrayList<>();
        mock.ifAvailable(pipeline -> mockSettings.workflows().forEach(name -> pipelines.add(pipeline.named(name))));
        pipelines.addAll(snakemake.pipelines());
        PipelineRegistry registry = new PipelineRegistry(pipelines);
        log.info("Workflows: mock {}, Snakemake {} (from {})", mock.getIfAvailable() == null ? List.of()
                        : mockSettings.workflows(), snakemake.pipelines().stream().map(Pipeline::workflow).toList(),
                snakemake.settings().workflowsDir().toAbsolutePath().normalize());
        return registry;
    }
}
