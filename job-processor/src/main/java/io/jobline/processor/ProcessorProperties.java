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
 */
@ConfigurationProperties("jobline.processor")
public record ProcessorProperties(
        String workerId,
        @DefaultValue("8") int maxConcurrentJobs,
        @DefaultValue("30s") Duration shutdownGrace,
        @DefaultValue("3s") Duration brokerProbeTimeout) {

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
        if (brokerProbeTimeout == null || brokerProbeTimeout.isNegative() || brokerProbeTimeout.isZero()) {
            throw new IllegalArgumentException("jobline.processor.broker-probe-timeout must be positive, got " + brokerProbeTimeout);
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
