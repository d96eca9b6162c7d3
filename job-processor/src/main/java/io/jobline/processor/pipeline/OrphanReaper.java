package io.jobline.processor.pipeline;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Ends the Snakemake runs that a dead processor left behind. Each run leader heads a session of its own, so a processor
 * killed outright ({@code kill -9}) does not take its runs with it: they would go on beside the attempt retried
 * elsewhere until they end by themselves.
 *
 * <p>At start-up and then every {@code jobline.snakemake.reap-interval}, the reaper reads the {@link RunMarker}s
 * {@code <work-root>/<job>/attempt-<n>/.jobline-run}. A marker whose processor is alive (this one, or another processor
 * of this host sharing the work root) or ran on another host is left alone. For a marker whose processor is gone, the
 * process group gets SIGTERM, and SIGKILL after {@code stop-grace}; the marker is removed once no process of the group
 * is left. A group that no longer works in the run's folder is not the run's any more (the kernel reuses ids): it is
 * never signalled.
 *
 * <p>A scan looks at most at {@link #MAX_JOB_FOLDERS_PER_SCAN} job folders, newest names first (job ids are
 * time-ordered), and the next scan goes on below the last one. Symbolic links in the work root are never followed.
 */
@Component
public class OrphanReaper implements SmartLifecycle {

    static final int MAX_JOB_FOLDERS_PER_SCAN = 2000;
    static final int MAX_ATTEMPTS_PER_JOB = 100;
    static final int MAX_ORPHANS_PER_SCAN = 100;
    /** After SIGKILL, how long before a group still there is left to the next scan. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);
    private static final Pattern ATTEMPT_FOLDER = Pattern.compile("attempt-([1-9][0-9]{0,8})");
    private static final long FIRST_CHECK_MILLIS = 20;
    private static final long MAX_CHECK_MILLIS = 500;
    private static final int MAX_REPORTED_INVALID = 1000;

    /** What a scan made of one marker. */
    enum Verdict {
        /** Its processor runs: left alone. */
        LIVE,
        /** Its processor ran on another host: left alone. */
        OTHER_HOST,
        /** Not a marker this processor can read: left alone (reported once). */
        INVALID,
        /** Orphaned, but its group had ended already: marker removed. */
        ALREADY_ENDED,
        /** Orphaned, and the group id now belongs to processes outside the run's folder: not signalled, marker removed. */
        NOT_THE_RUN,
        /** Orphaned: the group was signalled and is gone, marker removed. */
        ENDED,
        /** Orphaned: the group was signalled but is still there; the marker stays for the next scan. */
        STILL_RUNNING
    }

    /** @param processGroup null when the marker could not be read */
    record Finding(String jobId, int attempt, Long processGroup, Verdict verdict) {
    }

    record Scan(List<Finding> findings) {

        static final Scan NOTHING = new Scan(List.of());
    }

    /** A marker whose processor is gone. */
    private record Orphan(Path workingDir, String jobId, int attempt, RunMarker marker, ProcessGroup group) {

        Finding finding(Verdict verdict) {
            return new Finding(jobId, attempt, marker.processGroup(), verdict);
        }
    }

    private final Path workRoot;
    private final Duration interval;
    private final Duration stopGrace;
    private final int maxJobFoldersPerScan;
    private final Set<Path> reportedInvalid = new HashSet<>();
    /** Start and stop do not wait for a scan in progress (which holds the reaper's own lock). */
    private final Object lifecycle = new Object();
    /** The next scan looks at job folders named below this one; null: from the top. */
    private String resumeBelow;
    private ScheduledExecutorService scheduler;

    @Autowired
    public OrphanReaper(SnakemakeProperties settings) {
        this(settings.workRoot(), settings.reapInterval(), settings.stopGrace(), MAX_JOB_FOLDERS_PER_SCAN);
    }

    OrphanReaper(Path workRoot, Duration interval, Duration stopGrace, int maxJobFoldersPerScan) {
        this.workRoot = workRoot.toAbsolutePath().normalize();
        this.interval = interval;
        this.stopGrace = stopGrace;
        this.maxJobFoldersPerScan = maxJobFoldersPerScan;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (scheduler != null) {
                return;
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "jobline-orphan-reaper");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::scanSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("Looking for Snakemake runs of dead processors in {} now and every {}", workRoot, interval);
    }

    /** Interrupts a scan in progress: a group it signalled is ended by the next start's scan. */
    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return scheduler != null;
        }
    }

    private void scanSafely() {
        try {
            Scan scan = scan();
            log.debug("Scanned {} markers in {}", scan.findings().size(), workRoot);
        } catch (RuntimeException | IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                log.debug("Scan of {} interrupted by the shutdown", workRoot, e);
            } else {
                log.warn("Cannot look for orphaned Snakemake runs in {}: {}", workRoot, e.toString());
            }
        }
    }

    /** One scan: finds the orphans among the next job folders, ends them, and says what it found. */
    synchronized Scan scan() throws IOException {
        if (!Files.isDirectory(workRoot)) {
            resumeBelow = null;
            return Scan.NOTHING;
        }
        Path root = workRoot.toRealPath();
        List<String> batch = nextJobFolders(root);
        List<Finding> findings = new ArrayList<>();
        List<Orphan> orphans = new ArrayList<>();
        boolean stoppedEarly = false;
        for (String jobId : batch) {
            for (Path workingDir : attemptFolders(root.resolve(jobId))) {
                inspect(workingDir, jobId, findings, orphans);
            }
            resumeBelow = jobId;
            if (orphans.size() >= MAX_ORPHANS_PER_SCAN) {
                stoppedEarly = true;
                break;
            }
        }
        if (!stoppedEarly && batch.size() < maxJobFoldersPerScan) {
            resumeBelow = null;
        }
        findings.addAll(end(orphans));
        return new Scan(List.copyOf(findings));
    }

    /** The next job folder names below {@link #resumeBelow}, newest (largest) first, at most a batch. */
    private List<String> nextJobFolders(Path root) throws IOException {
        TreeSet<String> largest = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (resumeBelow != null && name.compareTo(resumeBelow) >= 0) {
                    continue;
                }
                largest.add(name);
                if (largest.size() > maxJobFoldersPerScan) {
                    largest.pollFirst();
                }
            }
        }
        return List.copyOf(largest.descendingSet());
    }

    /** The {@code attempt-<n>} folders of a job folder, by attempt number; none when it is not a real folder. */
    private static List<Path> attemptFolders(Path jobFolder) {
        if (!Files.isDirectory(jobFolder, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        TreeMap<Integer, Path> attempts = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(jobFolder)) {
            for (Path entry : entries) {
                Matcher attempt = ATTEMPT_FOLDER.matcher(entry.getFileName().toString());
                if (attempt.matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    attempts.put(Integer.valueOf(attempt.group(1)), entry);
                    if (attempts.size() > MAX_ATTEMPTS_PER_JOB) {
                        attempts.pollFirstEntry();
                    }
                }
            }
        } catch (IOException e) {
            log.debug("Cannot list {}: {}", jobFolder, e.toString());
            return List.of();
        }
        return List.copyOf(attempts.values());
    }

    private void inspect(Path workingDir, String jobId, List<Finding> findings, List<Orphan> orphans) {
        int attempt = Integer.parseInt(workingDir.getFileName().toString().substring("attempt-".length()));
        Path file = workingDir.resolve(RunMarker.FILE);
        RunMarker marker;
        try {
            Optional<RunMarker> read = RunMarker.readFrom(file);
            if (read.isEmpty()) {
                return;
            }
            marker = read.get();
        } catch (IOException | IllegalArgumentException e) {
            if (reportedInvalid.size() >= MAX_REPORTED_INVALID) {
                reportedInvalid.clear();
            }
            if (reportedInvalid.add(file)) {
                log.warn("Job {} attempt {}: ignoring {}, which is not a run marker: {}", jobId, attempt, file,
                        e.getMessage());
            }
            findings.add(new Finding(jobId, attempt, null, Verdict.INVALID));
            return;
        }
        switch (marker.processorState(ProcessIdentity.thisHost(), ProcessIdentity::live)) {
            case ALIVE -> findings.add(new Finding(jobId, attempt, marker.processGroup(), Verdict.LIVE));
            case ON_ANOTHER_HOST -> findings.add(new Finding(jobId, attempt, marker.processGroup(), Verdict.OTHER_HOST));
            case GONE -> orphans.add(new Orphan(workingDir, jobId, attempt, marker,
                    new ProcessGroup(marker.processGroup())));
        }
    }

    /** SIGTERM to every orphaned group, SIGKILL to those left after the stop grace; markers of ended groups go. */
    private List<Finding> end(List<Orphan> orphans) {
        List<Finding> findings = new ArrayList<>();
        List<Orphan> signalled = new ArrayList<>();
        for (Orphan orphan : orphans) {
            RunMarker marker = orphan.marker();
            if (!orphan.group().exists()) {
                log.info("Job {} attempt {}: removing the marker of process group {}, which ended after its processor "
                        + "(pid {}) died", orphan.jobId(), orphan.attempt(), marker.processGroup(),
                        marker.processor().pid());
                removeMarker(orphan);
                findings.add(orphan.finding(Verdict.ALREADY_ENDED));
            } else if (!orphan.group().hasMemberWorkingIn(orphan.workingDir())) {
                log.warn("Job {} attempt {}: process group {} of a dead processor (pid {}) has no process working in {} "
                        + "any more; not signalling it, removing the marker", orphan.jobId(), orphan.attempt(),
                        marker.processGroup(), marker.processor().pid(), orphan.workingDir());
                removeMarker(orphan);
                findings.add(orphan.finding(Verdict.NOT_THE_RUN));
            } else {
                log.warn("Job {} attempt {}: Snakemake process group {} is still running, but the processor that "
                        + "started it (pid {}, started {}) is gone: SIGTERM, SIGKILL after {} ms", orphan.jobId(),
                        orphan.attempt(), marker.processGroup(), marker.processor().pid(), marker.processor().start(),
                        stopGrace.toMillis());
                orphan.group().signal("TERM");
                signalled.add(orphan);
            }
        }
        List<Orphan> left = awaitGone(signalled, stopGrace);
        if (!Thread.currentThread().isInterrupted()) {
            for (Orphan orphan : left) {
                if (orphan.group().hasMemberWorkingIn(orphan.workingDir())) {
                    log.warn("Job {} attempt {}: process group {} is left after the stop grace: SIGKILL",
                            orphan.jobId(), orphan.attempt(), orphan.marker().processGroup());
                    orphan.group().signal("KILL");
                }
            }
            left = awaitGone(left, KILL_WAIT);
        }
        for (Orphan orphan : signalled) {
            if (left.contains(orphan)) {
                log.warn("Job {} attempt {}: process group {} is still there; trying again at the next scan",
                        orphan.jobId(), orphan.attempt(), orphan.marker().processGroup());
                findings.add(orphan.finding(Verdict.STILL_RUNNING));
            } else {
                log.info("Job {} attempt {}: orphaned process group {} ended", orphan.jobId(), orphan.attempt(),
                        orphan.marker().processGroup());
                removeMarker(orphan);
                findings.add(orphan.finding(Verdict.ENDED));
            }
        }
        return findings;
    }

    /** The orphans whose groups are still there after {@code limit}, checked with a backoff. */
    private static List<Orphan> awaitGone(List<Orphan> orphans, Duration limit) {
        List<Orphan> left = new ArrayList<>(orphans);
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = FIRST_CHECK_MILLIS;
        while (!Thread.currentThread().isInterrupted()) {
            left.removeIf(orphan -> !orphan.group().exists());
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left.isEmpty() || remaining <= 0) {
                return left;
            }
            try {
                Thread.sleep(Math.min(pause, remaining));
            } catch (InterruptedException e) {
                // shutting down: what is left is for the next start's scan
                Thread.currentThread().interrupt();
                return left;
            }
            pause = Math.min(pause * 2, MAX_CHECK_MILLIS);
        }
        return left;
    }

    private static void removeMarker(Orphan orphan) {
        try {
            RunMarker.removeFrom(orphan.workingDir());
        } catch (IOException e) {
            log.warn("Job {} attempt {}: cannot remove {}: {}", orphan.jobId(), orphan.attempt(),
                    orphan.workingDir().resolve(RunMarker.FILE), e.toString());
        }
    }
}
