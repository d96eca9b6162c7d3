package io.jobline.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.constructs.Construct;

/**
 * Job metrics, counted by CloudWatch Logs metric filters on job-processor's log lines (the services publish no
 * CloudWatch metrics of their own), and MSK's consumer-lag metrics. The lines counted are written by
 * {@code TerminalEventWriter} ("job X: wrote JobFailed"), {@code CommandListener} ("job X cannot start: ...") and the
 * supervisor ("... worker W is lost"); {@code LogPatternsTest} fails when those sources stop writing them.
 */
public final class JobMetrics {

    public static final String STARTED = "JobsStarted";
    public static final String COMPLETED = "JobsCompleted";
    public static final String FAILED = "JobsFailed";
    public static final String CANCELLED = "JobsCancelled";

    /** Metric name to CloudWatch Logs filter pattern (terms of the log line, {@code ?} = any of). */
    public static final Map<String, String> PATTERNS = patterns();

    private static Map<String, String> patterns() {
        Map<String, String> patterns = new LinkedHashMap<>();
        patterns.put(STARTED, "\"attempt\" \"is running\"");
        patterns.put(COMPLETED, "\"wrote JobCompleted\"");
        patterns.put(FAILED, "?\"wrote JobFailed\" ?\"cannot start:\" ?\"is lost\"");
        patterns.put(CANCELLED, "\"wrote JobCancelled\"");
        return patterns;
    }

    private JobMetrics() {
    }

    /** The namespace of the job metrics of an environment. */
    public static String namespace(Settings settings) {
        return "Jobline/" + settings.env();
    }

    /** Adds the metric filters on job-processor's log group. */
    public static void addFilters(Construct scope, Settings settings, ILogGroup processorLogs) {
        PATTERNS.forEach((name, pattern) -> MetricFilter.Builder.create(scope, name + "Filter")
                .logGroup(processorLogs)
                .filterPattern(FilterPattern.literal(pattern))
                .metricNamespace(namespace(settings))
                .metricName(name)
                .metricValue("1")
                .defaultValue(0)
                .build());
    }

    /** A job count per period (sum). */
    public static Metric jobs(Settings settings, String name, Duration period) {
        return Metric.Builder.create()
                .namespace(namespace(settings))
                .metricName(name)
                .statistic("Sum")
                .period(period)
                .build();
    }

    /** MSK's total offset lag of a consumer group on one topic (all its partitions), maximum per minute. */
    public static Metric consumerLag(Settings settings, String group, String topic, Duration period) {
        return Metric.Builder.create()
                .namespace("AWS/Kafka")
                .metricName("SumOffsetLag")
                .dimensionsMap(new TreeMap<>(Map.of("Cluster Name", settings.clusterName(), "Consumer Group", group,
                        "Topic", topic)))
                .statistic("Maximum")
                .period(period)
                .build();
    }
}
