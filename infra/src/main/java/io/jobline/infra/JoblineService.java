package io.jobline.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CloudMapOptions;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.LinuxParameters;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.MountPoint;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.PropagatedTagSource;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.ecs.Volume;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * One Jobline service on Fargate: its log group, its task role (carrying exactly the MSK actions of its
 * {@link KafkaAccess}), a task definition running the service's image with a read-only root file system (scratch
 * space on {@code /tmp} and, when asked, {@code /data}, both on the task's ephemeral storage), and the ECS service
 * in the private subnets with the deployment circuit breaker and rollback on.
 */
public final class JoblineService extends Construct {

    /**
     * What differs between the three services.
     *
     * @param name           the service's name (its image repository, log stream prefix and container name)
     * @param port           its HTTP port (API, query API or actuator only)
     * @param cpu            task CPU units
     * @param memoryMiB      task memory
     * @param ephemeralGiB   task ephemeral storage, 0 for Fargate's default (20 GiB)
     * @param desiredCount   tasks at the first deployment (scaling changes it afterwards)
     * @param environment    the container's environment (plain configuration; secrets go in {@code secrets})
     * @param secrets        environment variables read from Secrets Manager when the task starts
     * @param securityGroups the task's security groups
     * @param kafka          what it does on Kafka
     * @param dataVolume     mount a writable {@code /data} (state stores, job working directories)
     * @param initProcess    run an init process as PID 1 (reaps the zombies of killed job processes)
     * @param stopTimeout    time between SIGTERM and SIGKILL when the task stops (at most 120 s on Fargate)
     * @param cloudMap       registers each task's address in Cloud Map (null: not registered)
     */
    public record Spec(String name, int port, int cpu, int memoryMiB, int ephemeralGiB, int desiredCount,
            Map<String, String> environment, Map<String, Secret> secrets, List<ISecurityGroup> securityGroups,
            KafkaAccess kafka, boolean dataVolume, boolean initProcess, Duration stopTimeout,
            CloudMapOptions cloudMap) {
    }

    private final FargateService service;
    private final FargateTaskDefinition taskDefinition;
    private final ContainerDefinition container;
    private final LogGroup logGroup;
    private final Role taskRole;

    public JoblineService(Construct scope, String id, Settings settings, ICluster cluster, IRepository repository,
            String kafkaClusterArn, Spec spec) {
        super(scope, id);
        logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/jobline/" + settings.env() + "/" + spec.name())
                .retention(Names.retention(settings.logRetentionDays()))
                .removalPolicy(settings.production() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();

        taskRole = Role.Builder.create(this, "TaskRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("Jobline " + settings.env() + " " + spec.name() + ": its Kafka topics, groups and"
                        + " transactional ids on MSK")
                .build();
        spec.kafka().statements(kafkaClusterArn).forEach(taskRole::addToPolicy);

        FargateTaskDefinition.Builder task = FargateTaskDefinition.Builder.create(this, "Task")
                .family("jobline-" + settings.env() + "-" + spec.name())
                .cpu(spec.cpu())
                .memoryLimitMiB(spec.memoryMiB())
                .runtimePlatform(RuntimePlatform.builder()
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .build())
                .taskRole(taskRole);
        if (spec.ephemeralGiB() > 0) {
            task.ephemeralStorageGiB(spec.ephemeralGiB());
        }
        taskDefinition = task.build();
        taskDefinition.addVolume(Volume.builder().name("tmp").build());
        if (spec.dataVolume()) {
            taskDefinition.addVolume(Volume.builder().name("data").build());
        }

        ContainerDefinitionOptions.Builder options = ContainerDefinitionOptions.builder()
                .containerName(spec.name())
                .image(ContainerImage.fromEcrRepository(repository, settings.imageTag()))
                .essential(true)
                .environment(new TreeMap<>(spec.environment()))
                .secrets(new TreeMap<>(spec.secrets()))
                .portMappings(List.of(PortMapping.builder().containerPort(spec.port()).name("http").build()))
                .readonlyRootFilesystem(true)
                .stopTimeout(spec.stopTimeout())
                .healthCheck(software.amazon.awscdk.services.ecs.HealthCheck.builder()
                        .command(List.of("CMD-SHELL",
                                "curl -fsS -o /dev/null http://localhost:" + spec.port() + Names.LIVENESS_PATH
                                        + " || exit 1"))
                        .interval(Duration.seconds(30))
                        .timeout(Duration.seconds(5))
                        .retries(3)
                        .startPeriod(Duration.seconds(120))
                        .build())
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(logGroup)
                        .streamPrefix(spec.name())
                        .build()));
        if (spec.initProcess()) {
            options.linuxParameters(LinuxParameters.Builder.create(this, "Linux").initProcessEnabled(true).build());
        }
        container = taskDefinition.addContainer(spec.name(), options.build());
        List<MountPoint> mounts = new ArrayList<>();
        mounts.add(MountPoint.builder().sourceVolume("tmp").containerPath("/tmp").readOnly(false).build());
        if (spec.dataVolume()) {
            mounts.add(MountPoint.builder().sourceVolume("data").containerPath("/data").readOnly(false).build());
        }
        container.addMountPoints(mounts.toArray(MountPoint[]::new));

        FargateService.Builder builder = FargateService.Builder.create(this, "Service")
                .serviceName("jobline-" + spec.name())
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                .desiredCount(spec.desiredCount())
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .securityGroups(spec.securityGroups())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .assignPublicIp(false)
                .enableEcsManagedTags(true)
                .propagateTags(PropagatedTagSource.SERVICE);
        if (spec.cloudMap() != null) {
            builder.cloudMapOptions(spec.cloudMap());
        }
        service = builder.build();
    }

    public FargateService service() {
        return service;
    }

    public FargateTaskDefinition taskDefinition() {
        return taskDefinition;
    }

    public ContainerDefinition container() {
        return container;
    }

    public LogGroup logGroup() {
        return logGroup;
    }

    public Role taskRole() {
        return taskRole;
    }
}
