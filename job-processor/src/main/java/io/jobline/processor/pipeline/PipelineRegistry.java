package io.jobline.processor.pipeline;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The pipelines of this processor, by workflow name (built by {@link PipelineConfig}). */
public class PipelineRegistry {

    private final Map<String, Pipeline> byWorkflow;

    public PipelineRegistry(List<Pipeline> pipelines) {
        Map<String, Pipeline> map = new TreeMap<>();
        for (Pipeline pipeline : pipelines) {
            Pipeline previous = map.put(pipeline.workflow(), pipeline);
            if (previous != null) {
                throw new IllegalStateException("workflow '" + pipeline.workflow() + "' is claimed twice: by "
                        + previous + " and by " + pipeline + "; rename one of them");
            }
        }
        this.byWorkflow = Collections.unmodifiableMap(map);
    }

    public Optional<Pipeline> find(String workflow) {
        return Optional.ofNullable(byWorkflow.get(workflow));
    }

    /** The workflow names this processor can run, sorted. */
    public List<String> workflows() {
        return List.copyOf(byWorkflow.keySet());
    }
}
