package io.jobline.processor.pipeline;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.FailureKind;

/**
 * A running Snakemake process, the leader of its own process group. One reader thread per run turns its merged
 * stdout and stderr into log lines and progress; the shared scheduler signals the group and re-checks it. The outcome
 * completes only once no process of the group is left, whether the run ended by itself or was stopped.
 */
final class SnakemakeProcess implements PipelineRun {

    /** Longer lines are cut: a log line travels on Kafka. */
    static final int MAX_LINE_CHARS = 8192;
    static final String JOBLINE_PREFIX = "[jobline] ";

    private static final Logger log = LoggerFactory.getLogger(SnakemakeProcess.class);
    private static final long FIRST_CHECK_MILLIS = 20;
    private static final long MAX_CHECK_MILLIS = 500;
    /** A process that left the group (setsid) may still hold the output pipe: the outcome does not wait for it. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    private final JobSpec job;
    private final Process process;
    private final ProcessGroup group;
    private final Path workingDir;
    private final SnakemakeLog output;
    private final Duration stopGrace;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final CompletableFuture<Void> outputDrained = new CompletableFuture<>();

    private boolean stopRequested;
    private boolean exited;
    private boolean terminating;
    private ScheduledFuture<?> killTimer;

    SnakemakeProcess(JobSpec job, Process process, Path workingDir, RunListener listener, SnakemakeProperties settings,
            ScheduledExecutorService scheduler) {
        this.job = job;
        this.process = process;
        // setsid(1) makes the process the leader of a new group without forking, since a freshly spawned child is
        // never a group leader: its pid is its group id
        this.group = new ProcessGroup(process.pid());
        this.workingDir = workingDir;
        this.output = new SnakemakeLog(listener, settings.logTailLines());
        this.stopGrace = settings.stopGrace();
        this.scheduler = scheduler;
        Thread reader = new Thread(this::readOutput, "snakemake-" + job.jobId() + "-" + job.attempt());
        reader.setDaemon(true);
        reader.start();
        process.onExit().whenComplete((ignored, error) -> onScheduler(this::onExit));
    }

    /** The id of the run's process group (the Snakemake process's pid). */
    long processGroupId() {
        return group.id();
    }

    @Override
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (stopRequested || exited || outcome.isDone() || !process.isAlive()) {
                return;
            }
            stopRequested = true;
        }
        onScheduler(() -> terminate("stop requested: SIGTERM to process group " + group.id()));
    }

    private void onExit() {
        boolean stopping;
        synchronized (this) {
            exited = true;
            stopping = stopRequested;
        }
        if (!stopping && group.exists()) {
            terminate("Snakemake exited, but processes of its group are left: SIGTERM to process group " + group.id());
        }
        awaitGroupGone(FIRST_CHECK_MILLIS);
    }

    private void terminate(String why) {
        synchronized (this) {
            if (terminating) {
                return;
            }
            terminating = true;
        }
        note(why);
        boolean delivered = group.signal("TERM");
        if (!delivered && process.isAlive()) {
            // not yet in its own group (setsid has not run): signal the process itself
            process.destroy();
        }
        ScheduledFuture<?> timer = scheduler.schedule(() -> guarded(this::killGroup), stopGrace.toMillis(),
                TimeUnit.MILLISECONDS);
        synchronized (this) {
            killTimer = timer;
        }
    }

    private void killGroup() {
        if (group.exists() || process.isAlive()) {
            note("processes left after the stop grace of " + stopGrace.toMillis() + " ms: SIGKILL to process group "
                    + group.id());
            group.signal("KILL");
            process.destroyForcibly();
        }
    }

    private void awaitGroupGone(long delayMillis) {
        if (process.isAlive() || group.exists()) {
            long next = Math.min(delayMillis * 2, MAX_CHECK_MILLIS);
            scheduler.schedule(() -> guarded(() -> awaitGroupGone(next)), delayMillis, TimeUnit.MILLISECONDS);
            return;
        }
        synchronized (this) {
            if (killTimer != null) {
                killTimer.cancel(false);
            }
        }
        outputDrained.completeOnTimeout(null, OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, error) -> onScheduler(this::complete));
    }

    private void complete() {
        removeMarker();
        int exitCode = process.exitValue();
        boolean stopped;
        synchronized (this) {
            stopped = stopRequested;
        }
        Outcome result;
        if (stopped) {
            result = new Outcome.Stopped(output.tail());
        } else if (exitCode == 0) {
            RunOutputs.Listing outputs = RunOutputs.list(workingDir);
            if (outputs.omitted() > 0) {
                note(outputs.omitted() + " more output files are not listed (at most " + RunOutputs.MAX_FILES
                        + " are): mark intermediate files temp() in the Snakefile");
            }
            result = new Outcome.Succeeded(outputs.files());
        } else {
            result = new Outcome.Failed(FailureKind.PIPELINE, reason(exitCode), exitCode, output.tail());
        }
        log.info("Job {} attempt {}: Snakemake ended with exit code {}: {}", job.jobId(), job.attempt(), exitCode,
                result.getClass().getSimpleName());
        outcome.complete(result);
    }

    private String reason(int exitCode) {
        String reason = exitCode > 128 && exitCode < 160
                ? "Snakemake was killed by signal " + (exitCode - 128) + " (exit code " + exitCode + ")"
                : "Snakemake exited with code " + exitCode;
        String error = output.firstError();
        return error == null ? reason : reason + ": " + error;
    }

    /** A line of Jobline's own in the run's log, so that whoever reads the log sees what was done to the run. */
    private void note(String line) {
        log.info("Job {} attempt {}: {}", job.jobId(), job.attempt(), line);
        deliver(JOBLINE_PREFIX + line);
    }

    private void deliver(String line) {
        try {
            output.line(line);
        } catch (RuntimeException e) {
            log.warn("Job {} attempt {}: the run listener failed on a log line", job.jobId(), job.attempt(), e);
        }
    }

    private void readOutput() {
        StringBuilder line = new StringBuilder();
        int cut = 0;
        try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                for (int i = 0; i < read; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        deliver(finishLine(line, cut));
                        line.setLength(0);
                        cut = 0;
                    } else if (line.length() < MAX_LINE_CHARS) {
                        line.append(c);
                    } else {
                        cut++;
                    }
                }
            }
        } catch (IOException e) {
            log.debug("Job {} attempt {}: reading Snakemake's output ended: {}", job.jobId(), job.attempt(), e.toString());
        } finally {
            if (!line.isEmpty() || cut > 0) {
                deliver(finishLine(line, cut));
            }
            outputDrained.complete(null);
        }
    }

    private static String finishLine(StringBuilder line, int cut) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        String text = line.substring(0, end);
        return cut == 0 ? text : text + " [" + cut + " more characters cut]";
    }

    /** Runs a step on the scheduler; if it cannot run or fails, the outcome fails rather than never completing. */
    private void onScheduler(Runnable step) {
        try {
            scheduler.execute(() -> guarded(step));
        } catch (RejectedExecutionException e) {
            fail(new IllegalStateException("the Snakemake scheduler is shut down", e));
        }
    }

    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fail(RuntimeException e) {
        log.error("Job {} attempt {}: cannot watch Snakemake's process group {}; killing it", job.jobId(),
                job.attempt(), group.id(), e);
        try {
            group.signal("KILL");
        } catch (RuntimeException ignored) {
            // the process itself is killed below
        }
        process.destroyForcibly();
        removeMarker();
        outcome.completeExceptionally(e);
    }

    /** The group is gone (or killed): nothing is left for a reaper to end. */
    private void removeMarker() {
        try {
            RunMarker.removeFrom(workingDir);
        } catch (IOException | RuntimeException e) {
            log.warn("Job {} attempt {}: cannot remove {} from {}: {}", job.jobId(), job.attempt(), RunMarker.FILE,
                    workingDir, e.toString());
        }
    }
}
