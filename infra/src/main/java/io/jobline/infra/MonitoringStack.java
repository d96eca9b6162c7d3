package io.jobline.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeElb;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms, all sent to one SNS topic (encrypted with a key CloudWatch may use), and a dashboard with the alarms and
 * the job metrics: consumer lag of the processor and of the projection, the share of failed jobs, the load
 * balancer's 5xx answers and unhealthy targets, and a service left without a running task.
 */
public final class MonitoringStack extends Stack {

    private final Topic alarmTopic;
    private final List<Alarm> alarms = new ArrayList<>();

    public MonitoringStack(Construct scope, String id, StackProps props, Settings settings, ServicesStack services) {
        super(scope, id, props);
        String env = settings.env();

        Key key = Key.Builder.create(this, "AlarmTopicKey")
                .description("Jobline " + env + ": alarm notifications")
                .alias("alias/jobline-" + env + "-alarms")
                .enableKeyRotation(true)
                .removalPolicy(settings.production() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .pendingWindow(Duration.days(settings.production() ? 30 : 7))
                .build();
        // CloudWatch publishes alarm notifications to the encrypted topic
        key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        alarmTopic = Topic.Builder.create(this, "Alarms")
                .topicName("jobline-" + env + "-alarms")
                .displayName("Jobline " + env + " alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        if (!settings.alarmEmail().isBlank()) {
            alarmTopic.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }

        Metric processorLag = JobMetrics.consumerLag(settings, Names.PROCESSOR_GROUP, Names.COMMANDS,
                Duration.minutes(5));
        Metric projectionLag = JobMetrics.consumerLag(settings, Names.PROJECTION_APP, Names.EVENTS,
                Duration.minutes(5));
        alarm("ProcessorConsumerLag", processorLag, settings.processorLagAlarm(), 3,
                "Jobs wait: job-processor's lag on " + Names.COMMANDS + " stayed at or above "
                        + settings.processorLagAlarm() + " for 15 minutes (scaling is at its maximum, or the"
                        + " processors are stuck)", TreatMissingData.NOT_BREACHING);
        alarm("ProjectionConsumerLag", projectionLag, settings.projectionLagAlarm(), 2,
                "Job views are stale: status-projection's lag on " + Names.EVENTS + " stayed at or above "
                        + settings.projectionLagAlarm() + " for 10 minutes", TreatMissingData.NOT_BREACHING);

        Duration jobsPeriod = Duration.minutes(15);
        MathExpression failedShare = MathExpression.Builder.create()
                .expression("IF(FILL(failed, 0) + FILL(completed, 0) >= 5,"
                        + " 100 * FILL(failed, 0) / (FILL(failed, 0) + FILL(completed, 0)), 0)")
                .usingMetrics(new TreeMap<>(Map.of(
                        "failed", JobMetrics.jobs(settings, JobMetrics.FAILED, jobsPeriod),
                        "completed", JobMetrics.jobs(settings, JobMetrics.COMPLETED, jobsPeriod))))
                .period(jobsPeriod)
                .label("failed jobs (% of finished, at least 5 finished)")
                .build();
        alarm("FailedJobs", failedShare, settings.failedJobsAlarmPercent(), 1,
                "At least " + settings.failedJobsAlarmPercent() + " % of the jobs that finished in 15 minutes failed",
                TreatMissingData.NOT_BREACHING);

        Duration albPeriod = Duration.minutes(5);
        MetricOptions sum5 = MetricOptions.builder().statistic("Sum").period(albPeriod).build();
        MathExpression errors = MathExpression.Builder.create()
                .expression("FILL(elb, 0) + FILL(target, 0)")
                .usingMetrics(new TreeMap<>(Map.of(
                        "elb", services.loadBalancer().getMetrics().httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, sum5),
                        "target", services.loadBalancer().getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum5))))
                .period(albPeriod)
                .label("5xx answers (load balancer + command-api)")
                .build();
        alarm("LoadBalancer5xx", errors, settings.alb5xxAlarm(), 2,
                "The API answered " + settings.alb5xxAlarm() + " or more 5xx in each of 2 periods of 5 minutes",
                TreatMissingData.NOT_BREACHING);
        Metric unhealthy = services.apiTargets().getMetrics().unhealthyHostCount(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).build());
        alarm("UnhealthyApiTargets", unhealthy, 1, 3,
                "A command-api task failed its readiness check (Kafka unreachable?) for 3 minutes",
                TreatMissingData.NOT_BREACHING);
        for (String service : List.of(Names.JOB_PROCESSOR, Names.STATUS_PROJECTION)) {
            Metric running = Metric.Builder.create()
                    .namespace("ECS/ContainerInsights")
                    .metricName("RunningTaskCount")
                    .dimensionsMap(new TreeMap<>(Map.of("ClusterName", "jobline-" + env, "ServiceName", "jobline-" + service)))
                    .statistic("Minimum")
                    .period(Duration.minutes(1))
                    .build();
            Alarm down = running.createAlarm(this, camel(service) + "NotRunning", CreateAlarmOptions.builder()
                    .alarmName("jobline-" + env + "-" + service + "-not-running")
                    .alarmDescription(service + " has had no running task for 5 minutes")
                    .threshold(1)
                    .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                    .evaluationPeriods(5)
                    .datapointsToAlarm(5)
                    .treatMissingData(TreatMissingData.BREACHING)
                    .build());
            notify(down);
        }

        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("jobline-" + env)
                .defaultInterval(Duration.hours(3))
                .build();
        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# Jobline " + env + "\nJobs from job-processor's logs, lag from MSK (Cluster Name "
                        + settings.clusterName() + "), the API from its load balancer.")
                .width(24).height(2).build());
        dashboard.addWidgets(AlarmStatusWidget.Builder.create()
                .title("Alarms")
                .alarms(new ArrayList<IAlarm>(alarms))
                .width(24).height(3).build());
        Duration minute = Duration.minutes(1);
        dashboard.addWidgets(
                graph("Jobs per minute", List.of(
                        JobMetrics.jobs(settings, JobMetrics.STARTED, minute),
                        JobMetrics.jobs(settings, JobMetrics.COMPLETED, minute),
                        JobMetrics.jobs(settings, JobMetrics.FAILED, minute),
                        JobMetrics.jobs(settings, JobMetrics.CANCELLED, minute))),
                graph("Failed jobs (% of finished)", List.of(failedShare)),
                graph("Consumer lag", List.of(
                        JobMetrics.consumerLag(settings, Names.PROCESSOR_GROUP, Names.COMMANDS, minute),
                        JobMetrics.consumerLag(settings, Names.PROJECTION_APP, Names.COMMANDS, minute),
                        JobMetrics.consumerLag(settings, Names.PROJECTION_APP, Names.EVENTS, minute),
                        JobMetrics.consumerLag(settings, Names.SUPERVISOR_APP, Names.EVENTS, minute))));
        dashboard.addWidgets(
                graph("API requests and 5xx", List.of(
                        services.loadBalancer().getMetrics().requestCount(MetricOptions.builder()
                                .statistic("Sum").period(minute).build()),
                        errors)),
                graph("API latency (p50, p99)", List.of(
                        services.loadBalancer().getMetrics().targetResponseTime(MetricOptions.builder()
                                .statistic("p50").period(minute).build()),
                        services.loadBalancer().getMetrics().targetResponseTime(MetricOptions.builder()
                                .statistic("p99").period(minute).build()))),
                graph("Running tasks", List.of(Names.COMMAND_API, Names.JOB_PROCESSOR, Names.STATUS_PROJECTION)
                        .stream().map(service -> (IMetric) Metric.Builder.create()
                                .namespace("ECS/ContainerInsights")
                                .metricName("RunningTaskCount")
                                .dimensionsMap(new TreeMap<>(Map.of("ClusterName", "jobline-" + env,
                                        "ServiceName", "jobline-" + service)))
                                .statistic("Average").period(minute).label(service)
                                .build())
                        .toList()));
        dashboard.addWidgets(
                graph("CPU (%)", List.of(
                        services.commandApi().service().metricCpuUtilization(),
                        services.jobProcessor().service().metricCpuUtilization(),
                        services.statusProjection().service().metricCpuUtilization())),
                graph("Memory (%)", List.of(
                        services.commandApi().service().metricMemoryUtilization(),
                        services.jobProcessor().service().metricMemoryUtilization(),
                        services.statusProjection().service().metricMemoryUtilization())));
    }

    private void alarm(String id, IMetric metric, int threshold, int periods, String description,
            TreatMissingData missing) {
        Alarm alarm = metric instanceof Metric m
                ? m.createAlarm(this, id, options(id, threshold, periods, description, missing))
                : ((MathExpression) metric).createAlarm(this, id, options(id, threshold, periods, description, missing));
        notify(alarm);
    }

    private CreateAlarmOptions options(String id, int threshold, int periods, String description,
            TreatMissingData missing) {
        return CreateAlarmOptions.builder()
                .alarmName(getStackName().toLowerCase() + "-" + kebab(id))
                .alarmDescription(description)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(missing)
                .build();
    }

    private void notify(Alarm alarm) {
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        alarm.addOkAction(new SnsAction(alarmTopic));
        alarms.add(alarm);
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(new ArrayList<IMetric>(metrics)).width(8).height(6)
                .build();
    }

    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }

    public List<Alarm> alarms() {
        return alarms;
    }
}
