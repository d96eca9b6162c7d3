package io.jobline.infra;

import java.util.List;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.MetricAggregationType;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;

/**
 * How the services scale.
 * <ul>
 * <li>command-api: target tracking on CPU and on requests per task, whichever asks for more tasks.</li>
 * <li>job-processor: step scaling on the consumer lag of its group on {@code jobline.commands} (MSK's
 * {@code SumOffsetLag}: submitted jobs no processor has taken yet; a processor stops taking jobs when its slots
 * are full, so the lag is the queue). Out quickly, in slowly: a processor that stops lets its running jobs finish
 * within its shutdown grace, and the jobs it cannot finish are retried elsewhere.</li>
 * <li>status-projection: a fixed count; Kafka Streams spreads the partitions, and more instances than partitions
 * would sit idle.</li>
 * </ul>
 */
public final class Scaling {

    private Scaling() {
    }

    public static ScalableTaskCount commandApi(FargateService service, ApplicationTargetGroup targets,
            Settings settings) {
        ScalableTaskCount count = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(settings.apiMinCount())
                .maxCapacity(settings.apiMaxCount())
                .build());
        count.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder()
                .targetUtilizationPercent(settings.apiCpuTarget())
                .scaleOutCooldown(Duration.seconds(60))
                .scaleInCooldown(Duration.minutes(5))
                .build());
        count.scaleOnRequestCount("Requests", RequestCountScalingProps.builder()
                .requestsPerTarget(settings.apiRequestsPerTarget())
                .targetGroup(targets)
                .scaleOutCooldown(Duration.seconds(60))
                .scaleInCooldown(Duration.minutes(5))
                .build());
        return count;
    }

    /**
     * Lag steps, in jobs waiting: a processor runs {@code processorConcurrentJobs} at once, so one more task per
     * that many waiting jobs, more in bigger steps. Out after 2 minutes above a step; in by one task after 15
     * minutes with nothing waiting.
     */
    public static ScalableTaskCount jobProcessor(FargateService service, Settings settings) {
        int perTask = settings.processorConcurrentJobs();
        ScalableTaskCount count = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(settings.processorMinCount())
                .maxCapacity(settings.processorMaxCount())
                .build());
        var lag = JobMetrics.consumerLag(settings, Names.PROCESSOR_GROUP, Names.COMMANDS, Duration.minutes(1));
        count.scaleOnMetric("LagOut", BasicStepScalingPolicyProps.builder()
                .metric(lag)
                .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                .metricAggregationType(MetricAggregationType.MAXIMUM)
                .scalingSteps(List.of(
                        ScalingInterval.builder().upper(perTask).change(0).build(),
                        ScalingInterval.builder().lower(perTask).upper(5 * perTask).change(1).build(),
                        ScalingInterval.builder().lower(5 * perTask).upper(20 * perTask).change(2).build(),
                        ScalingInterval.builder().lower(20 * perTask).change(4).build()))
                .evaluationPeriods(2)
                .datapointsToAlarm(2)
                .cooldown(Duration.minutes(2))
                .build());
        count.scaleOnMetric("LagIn", BasicStepScalingPolicyProps.builder()
                .metric(lag)
                .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                .metricAggregationType(MetricAggregationType.MAXIMUM)
                .scalingSteps(List.of(
                        ScalingInterval.builder().upper(0).change(-1).build(),
                        ScalingInterval.builder().lower(0).change(0).build()))
                .evaluationPeriods(15)
                .datapointsToAlarm(15)
                .cooldown(Duration.minutes(10))
                .build());
        return count;
    }
}
