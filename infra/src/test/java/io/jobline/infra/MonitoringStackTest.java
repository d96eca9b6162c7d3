package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The alarms (all to the SNS topic), the encrypted topic, the dashboard and the job metrics. */
class MonitoringStackTest {

    private static Synth.Result dev;
    private static Template monitoring;
    private static Map<String, Map<String, Object>> resources;

    @BeforeAll
    static void synth() {
        dev = Synth.of(Synth.Variant.DEV);
        monitoring = dev.template(dev.stacks().monitoring());
        resources = dev.resources(dev.stacks().monitoring());
    }

    @Test
    void everyAlarmNotifiesTheTopicWhenItFiresAndWhenItClears() {
        Map<String, Object> topicRef = Map.of("Ref", monitoring.getResourceId("AWS::SNS::Topic"));
        Map<String, Map<String, Object>> alarms = Json.ofType(resources, "AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSize(7);
        alarms.values().forEach(alarm -> {
            assertThat(Json.list(Json.props(alarm).get("AlarmActions"))).containsExactly(topicRef);
            assertThat(Json.list(Json.props(alarm).get("OKActions"))).containsExactly(topicRef);
        });
        assertThat(alarms.values().stream().map(a -> Json.props(a).get("AlarmName")).toList())
                .containsExactlyInAnyOrder("jobline-dev-monitoring-processor-consumer-lag",
                        "jobline-dev-monitoring-projection-consumer-lag", "jobline-dev-monitoring-failed-jobs",
                        "jobline-dev-monitoring-load-balancer5xx", "jobline-dev-monitoring-unhealthy-api-targets",
                        "jobline-dev-job-processor-not-running", "jobline-dev-status-projection-not-running");
    }

    @Test
    void consumerLagAlarms() {
        monitoring.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "SumOffsetLag", "Namespace", "AWS/Kafka",
                "Dimensions", Match.arrayWith(List.of(Map.of("Name", "Consumer Group", "Value", "jobline-job-processor"),
                        Map.of("Name", "Topic", "Value", "jobline.commands"))),
                "Threshold", 50, "EvaluationPeriods", 3, "ComparisonOperator", "GreaterThanOrEqualToThreshold"));
        monitoring.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "SumOffsetLag",
                "Dimensions", Match.arrayWith(List.of(
                        Map.of("Name", "Consumer Group", "Value", "jobline-status-projection"),
                        Map.of("Name", "Topic", "Value", "jobline.events")))));
    }

    @Test
    void failedJobsAlarmOnTheShareOfFinishedJobs() {
        Map<String, Object> alarm = Json.props(resources.get(monitoring.getResourceId("AWS::CloudWatch::Alarm",
                Map.of("Properties", Map.of("AlarmName", "jobline-dev-monitoring-failed-jobs")))));
        assertThat(alarm).containsEntry("Threshold", 50);
        List<Object> metrics = Json.list(alarm.get("Metrics"));
        assertThat(metrics).anySatisfy(m -> assertThat((String) Json.map(m).get("Expression"))
                .contains("100 * FILL(failed, 0) / (FILL(failed, 0) + FILL(completed, 0))"));
        assertThat(metrics).anySatisfy(m -> assertThat(Json.at(m, "MetricStat.Metric")).isEqualTo(
                Map.of("Namespace", "Jobline/dev", "MetricName", "JobsFailed")));
        // the metric filters that count the jobs, on job-processor's log group
        Template services = dev.template(dev.stacks().services());
        services.resourceCountIs("AWS::Logs::MetricFilter", 4);
        services.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "FilterPattern", "?\"wrote JobFailed\" ?\"cannot start:\" ?\"is lost\"",
                "LogGroupName", Map.of("Ref", services.getResourceId("AWS::Logs::LogGroup",
                        Map.of("Properties", Map.of("LogGroupName", "/jobline/dev/job-processor")))),
                "MetricTransformations", List.of(Map.of("MetricNamespace", "Jobline/dev", "MetricName", "JobsFailed",
                        "MetricValue", "1", "DefaultValue", 0))));
    }

    @Test
    void loadBalancerAlarms() {
        Map<String, Object> errors = Json.props(resources.get(monitoring.getResourceId("AWS::CloudWatch::Alarm",
                Map.of("Properties", Map.of("AlarmName", "jobline-dev-monitoring-load-balancer5xx")))));
        List<String> names = Json.list(errors.get("Metrics")).stream()
                .map(m -> Json.at(m, "MetricStat.Metric.MetricName")).filter(java.util.Objects::nonNull)
                .map(Object::toString).toList();
        assertThat(names).containsExactlyInAnyOrder("HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count");
        monitoring.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "UnHealthyHostCount", "Namespace", "AWS/ApplicationELB", "Threshold", 1));
    }

    @Test
    void theTopicIsEncryptedWithARotatingKeyCloudWatchMayUseAndRefusesPlainHttp() {
        monitoring.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId",
                Map.of("Fn::GetAtt", List.of(monitoring.getResourceId("AWS::KMS::Key"), "Arn"))));
        monitoring.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true,
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"),
                        "Resource", "*"))))));
        monitoring.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Map.of("Effect", "Deny", "Action", "sns:Publish",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")),
                        "Principal", "*", "Resource", Match.anyValue(), "Sid", Match.anyValue()))))));
        Synth.Result prod = Synth.of(Synth.Variant.PROD);
        prod.template(prod.stacks().monitoring()).hasResourceProperties("AWS::SNS::Subscription",
                Map.of("Protocol", "email", "Endpoint", "oncall@example.com"));
    }

    @Test
    void theDashboardShowsTheAlarmsAndTheJobMetrics() {
        monitoring.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        String body = Json.render(Json.props(Json.ofType(resources, "AWS::CloudWatch::Dashboard").values().iterator()
                .next()).get("DashboardBody"));
        assertThat(body).contains("\"alarms\":[", "JobsStarted", "JobsCompleted", "JobsFailed", "JobsCancelled",
                "SumOffsetLag", "TargetResponseTime", "RunningTaskCount");
    }
}
