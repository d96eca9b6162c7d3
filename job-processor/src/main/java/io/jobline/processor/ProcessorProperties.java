package io.jobline.processor;

import java.net.InetAddress;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The processor's own settings, {@code jobline.processor.*}.
 *
 * @param workerId            names this instance in {@code JobStarted.worker} and in its Kafka transactional ids;
 *                            blank means {@code <hostname>-<pid>}
 * @param maxConcurrentJobs   how many pipelines this instance runs at once; the command listener is paused while all
 *                            slots are taken
 * @param shutdownGrace       on shutdown, how long running jobs may take to finish and publish their terminal events
 *                            before they are abandoned (and reported as {@code WORKER_LOST})
 * @param brokerProbeTimeout  how long the readiness check waits for the Kafka cluster to answer
 * @param reportInterval      how often the progress, log lines and heartbeats of running jobs are written, all jobs of
 *                            this instance in one Kafka transaction
 * @param heartbeatInterval   how often a running job without other news sends a {@code JobHeartbeat}; the supervisor's
 *                            {@code jobline.supervisor.lost-after} must be a few of these
 * @param maxLogLines         lines kept of one attempt's output on {@code jobline.logs}; later lines are dropped (the
 *                            log tail of the terminal event still has the last ones)
 * @param duplicateLookback   how far before the intake group's committed offsets the cancel watch starts reading, so
 *                            that an instance knows the submissions just before a partition it takes over and ignores a
 *                            repeat of one of them; zero: from the committed offsets
 */
@ConfigurationProperties("jobline.processor")
public record ProcessorProperties(
        String workerId,
        @DefaultValue("8") int maxConcurrentJobs,
        @DefaultValue("30s") Duration shutdownGrace,
        @DefaultValue("3s") Duration brokerProbeTimeout,
        @DefaultValue("500ms") Duration reportInterval,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("100000") int maxLogLines,
        @DefaultValue("10m") Duration duplicateLookback) {

    public ProcessorProperties {
        if (workerId == null || workerId.isBlank()) {
            workerId = defaultWorkerId();
        }
        workerId = workerId.strip();
        if (maxConcurrentJobs < 1) {
            throw new IllegalArgumentException("jobline.processor.max-concurrent-jobs must be at least 1, got " + maxConcurrentJobs);
        }
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("jobline.processor.shutdown-grace must not be negative, got " + shutdownGrace);
        }
        requirePositive("report-interval", reportInterval);
        requirePositive("heartbeat-interval", heartbeatInterval);
        if (maxLogLines < 0) {
            throw new IllegalArgumentException("jobline.processor.max-log-lines must not be negative, got " + maxLogLines);
        }
        if (duplicateLookback == null || duplicateLookback.isNegative()) {
            throw new IllegalArgumentException("jobline.processor.duplicate-lookback must not be negative, got "
                    + duplicateLookback);
        }
        if (brokerProbeTimeout == null || brokerProbeTimeout.isNegative() || brokerProbeTimeout.isZero()) {
            throw new IllegalArgumentException("jobline.processor.broker-probe-timeout must be positive, got " + brokerProbeTimeout);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("jobline.processor." + name + " must be positive, got " + value);
        }
    }

    /** {@code <hostname>-<pid>}: the HOSTNAME variable when set (containers set it), else the resolved local name. */
    static String defaultWorkerId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
        }
        return host.strip() + "-" + ProcessHandle.current().pid();
    }
}
