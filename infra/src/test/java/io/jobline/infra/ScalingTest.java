package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** job-processor scales on its consumer lag, command-api on CPU and requests. */
class ScalingTest {

    private static Synth.Result dev;
    private static Synth.Result prod;
    private static Template services;

    @BeforeAll
    static void synth() {
        dev = Synth.of(Synth.Variant.DEV);
        prod = Synth.of(Synth.Variant.PROD);
        services = dev.template(dev.stacks().services());
    }

    @Test
    void jobProcessorScalesOutOnLagInStepsAndInSlowly() {
        Map<String, Map<String, Object>> resources = dev.resources(dev.stacks().services());
        services.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of(
                "ScalableDimension", "ecs:service:DesiredCount", "MinCapacity", 1, "MaxCapacity", 4,
                "ResourceId", Match.anyValue())); // (a Join of the cluster and service names)
        prod.template(prod.stacks().services()).hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget",
                Map.of("MinCapacity", 2, "MaxCapacity", 12, "ScalableDimension", "ecs:service:DesiredCount"));

        Map<String, Object> lag = Map.of(
                "Namespace", "AWS/Kafka",
                "MetricName", "SumOffsetLag",
                "Dimensions", Match.arrayWith(List.of(
                        Map.of("Name", "Cluster Name", "Value", "jobline-dev"),
                        Map.of("Name", "Consumer Group", "Value", "jobline-job-processor"),
                        Map.of("Name", "Topic", "Value", "jobline.commands"))),
                "Statistic", "Maximum",
                "Period", 60);
        // out: above 2 jobs waiting (one processor's slots) for 2 minutes; in: nothing waiting for 15 minutes
        services.hasResourceProperties("AWS::CloudWatch::Alarm", merge(lag, Map.of(
                "ComparisonOperator", "GreaterThanOrEqualToThreshold", "Threshold", 2, "EvaluationPeriods", 2)));
        services.hasResourceProperties("AWS::CloudWatch::Alarm", merge(lag, Map.of(
                "ComparisonOperator", "LessThanOrEqualToThreshold", "Threshold", 0, "EvaluationPeriods", 15)));

        List<Map<String, Object>> steps = Json.ofType(resources, "AWS::ApplicationAutoScaling::ScalingPolicy").values()
                .stream().map(Json::props)
                .filter(p -> "StepScaling".equals(p.get("PolicyType")))
                .map(p -> Json.map(p.get("StepScalingPolicyConfiguration")))
                .toList();
        assertThat(steps).hasSize(2);
        assertThat(steps).anySatisfy(s -> {
            assertThat(s).containsEntry("AdjustmentType", "ChangeInCapacity");
            assertThat(Json.list(s.get("StepAdjustments")).stream().map(a -> Json.map(a).get("ScalingAdjustment")))
                    .containsExactly(1, 2, 4);
        });
        assertThat(steps).anySatisfy(s -> assertThat(Json.list(s.get("StepAdjustments")).stream()
                .map(a -> Json.map(a).get("ScalingAdjustment"))).containsExactly(-1));
    }

    @Test
    void commandApiTracksCpuAndRequestsPerTask() {
        services.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of(
                "ScalableDimension", "ecs:service:DesiredCount", "MinCapacity", 1, "MaxCapacity", 3));
        services.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Map.of(
                        "PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ECSServiceAverageCPUUtilization"),
                        "TargetValue", 60)));
        services.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Map.of(
                        "PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ALBRequestCountPerTarget"),
                        "TargetValue", 3000)));
    }

    @Test
    void theProjectionKeepsAFixedCountOfAtMostThePartitions() {
        services.hasResourceProperties("AWS::ECS::Service", Map.of("ServiceName", "jobline-status-projection",
                "DesiredCount", 1));
        services.resourcePropertiesCountIs("AWS::ApplicationAutoScaling::ScalableTarget",
                Map.of("ScalableDimension", "ecs:service:DesiredCount"), 2);
        assertThat(prod.settings().projectionCount()).isLessThanOrEqualTo(prod.settings().topicPartitions());
        assertThat(prod.settings().processorMaxCount()).isLessThanOrEqualTo(prod.settings().topicPartitions());
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new java.util.HashMap<>(a);
        out.putAll(b);
        return out;
    }
}
