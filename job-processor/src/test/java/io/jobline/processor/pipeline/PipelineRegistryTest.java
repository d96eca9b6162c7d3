package io.jobline.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class PipelineRegistryTest {

    private static Pipeline named(String workflow) {
        return new Pipeline() {
            @Override
            public String workflow() {
                return workflow;
            }

            @Override
            public String toString() {
                return "pipeline " + workflow;
            }

            @Override
            public PreparedRun prepare(JobSpec job) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void findsPipelinesByWorkflow() {
        Pipeline b = named("b");
        PipelineRegistry registry = new PipelineRegistry(List.of(b, named("a")));
        assertThat(registry.find("b")).containsSame(b);
        assertThat(registry.find("c")).isEmpty();
        assertThat(registry.workflows()).containsExactly("a", "b");
    }

    @Test
    void refusesTwoPipelinesForOneWorkflow() {
        assertThatThrownBy(() -> new PipelineRegistry(List.of(named("a"), named("a"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("workflow 'a' is claimed twice: by pipeline a and by pipeline a; rename one of them");
    }
}
