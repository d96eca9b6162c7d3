package io.jobline.processor.pipeline;

import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The Snakemake pipelines of the workflow catalog ({@code jobline.snakemake.workflows-dir}), read once at start-up,
 * and the one scheduler thread that signals and watches their process groups.
 */
@Component
public class SnakemakeWorkflows implements DisposableBean {

    private final SnakemakeProperties settings;
    private final ScheduledThreadPoolExecutor scheduler;
    private final List<SnakemakePipeline> pipelines;

    public SnakemakeWorkflows(SnakemakeProperties settings) {
        this.settings = settings;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "jobline-snakemake");
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.pipelines = WorkflowCatalog.scan(settings.workflowsDir()).stream()
                .map(workflow -> new SnakemakePipeline(workflow, settings, scheduler))
                .toList();
    }

    public List<SnakemakePipeline> pipelines() {
        return pipelines;
    }

    public SnakemakeProperties settings() {
        return settings;
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
