package io.jobline.processor.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * One Snakemake workflow of the catalog. Each attempt of a job runs in a fresh working directory
 * {@code <work-root>/<job id>/attempt-<n>}; the job's parameters reach Snakemake only as a JSON file given to
 * {@code --configfile} after the workflow's own defaults, never on a command line or through a shell.
 *
 * <p>Snakemake runs as the leader of a process group of its own ({@code setsid}), with SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT at their defaults (a process may inherit them ignored), so that stopping the group stops every job shell.
 */
public final class SnakemakePipeline implements Pipeline {

    /** Jobline's own file in a run's working directory: the job's parameters. It is not an output. */
    public static final String PARAMETERS_FILE = ".jobline-parameters.json";

    /** A job id becomes a folder name: nothing that could climb out of the work root. */
    private static final Pattern SAFE_JOB_ID = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,128}");

    private final WorkflowCatalog.Workflow workflow;
    private final SnakemakeProperties settings;
    private final ParameterCheck parameterCheck;
    private final ScheduledExecutorService scheduler;

    SnakemakePipeline(WorkflowCatalog.Workflow workflow, SnakemakeProperties settings,
            ScheduledExecutorService scheduler) {
        this.workflow = workflow;
        this.settings = settings;
        this.parameterCheck = new ParameterCheck(settings.parameters());
        this.scheduler = scheduler;
    }

    @Override
    public String workflow() {
        return workflow.name();
    }

    @Override
    public Optional<Duration> maxRunTime() {
        return Optional.of(settings.maxRunTimeOf(workflow.name()));
    }

    @Override
    public SnakemakeRun prepare(JobSpec job) throws CannotStartException {
        parameterCheck.check(job.parameters());
        if (!SAFE_JOB_ID.matcher(job.jobId()).matches()) {
            throw new CannotStartException("the job id cannot name a working directory: it must match "
                    + SAFE_JOB_ID.pattern());
        }
        if (job.attempt() < 1) {
            throw new CannotStartException("the attempt number must be at least 1, got " + job.attempt());
        }
        if (!Files.isRegularFile(workflow.snakefile())) {
            throw new CannotStartException("workflow '" + workflow.name() + "' has no Snakefile any more at "
                    + workflow.snakefile());
        }
        Path snakemake = Executables.find(settings.executable()).orElseThrow(() -> new CannotStartException(
                "Snakemake is not installed on this worker: '" + settings.executable()
                        + "' was not found on the PATH (jobline.snakemake.executable)"));
        for (String tool : List.of("setsid", "env")) {
            if (Executables.find(tool).isEmpty()) {
                throw new CannotStartException("'" + tool + "' was not found on the PATH of this worker: "
                        + "it is needed to start Snakemake in a process group of its own");
            }
        }
        Path workingDir = settings.workRoot().toAbsolutePath().normalize()
                .resolve(job.jobId()).resolve("attempt-" + job.attempt());
        return new SnakemakeRun(job, workingDir, command(snakemake, workingDir), settings, scheduler);
    }

    private List<String> command(Path snakemake, Path workingDir) {
        List<String> command = new ArrayList<>(List.of(
                "setsid", "--wait",
                "env", "--default-signal=INT,TERM,HUP,QUIT",
                snakemake.toString(),
                "--snakefile", workflow.snakefile().toString(),
                "--directory", workingDir.toString(),
                "--cores", String.valueOf(settings.cores()),
                "--nocolor",
                // --configfile takes one or more files: it must stay the last option (after it, no target may follow)
                "--configfile"));
        workflow.defaults().ifPresent(defaults -> command.add(defaults.toString()));
        command.add(workingDir.resolve(PARAMETERS_FILE).toString());
        return List.copyOf(command);
    }

    @Override
    public String toString() {
        return "Snakemake workflow '" + workflow.name() + "' (" + workflow.snakefile() + ")";
    }
}
