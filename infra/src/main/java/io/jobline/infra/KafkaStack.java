package io.jobline.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.applicationautoscaling.BasicTargetTrackingScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.PredefinedMetric;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.msk.CfnCluster;
import software.amazon.awscdk.services.msk.CfnConfiguration;
import software.amazon.awscdk.services.msk.CfnServerlessCluster;
import software.constructs.Construct;

/**
 * The Kafka cluster: MSK provisioned (IAM client authentication only, TLS between clients and brokers and inside
 * the cluster, KMS encryption at rest with a rotating key, broker logs in CloudWatch, enhanced monitoring, storage
 * autoscaling) or MSK Serverless (IAM and TLS always; encrypted at rest with an AWS-owned key), chosen by the
 * {@code kafkaMode} setting. Clients find it through {@link #bootstrapBrokers()} and reach it on port 9098; the
 * stack of the clients opens that port in {@link #brokerSecurityGroup()} for their security groups.
 */
public final class KafkaStack extends Stack {

    private final String clusterArn;
    private final SecurityGroup brokerSecurityGroup;
    private final String bootstrapBrokers;
    private final Settings settings;

    public KafkaStack(Construct scope, String id, StackProps props, Settings settings, IVpc vpc) {
        super(scope, id, props);
        this.settings = settings;
        RemovalPolicy removal = settings.production() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        brokerSecurityGroup = SecurityGroup.Builder.create(this, "BrokerSecurityGroup")
                .vpc(vpc)
                .description("Jobline " + settings.env() + ": MSK brokers; TLS + IAM clients only (port 9098)")
                .allowAllOutbound(false)
                .build();
        SecurityGroup brokers = brokerSecurityGroup;

        List<String> subnets = vpc.selectSubnets(SubnetSelection.builder()
                .subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()).getSubnetIds();

        if (settings.kafkaMode() == Settings.KafkaMode.SERVERLESS) {
            CfnServerlessCluster cluster = CfnServerlessCluster.Builder.create(this, "Cluster")
                    .clusterName(settings.clusterName())
                    .clientAuthentication(CfnServerlessCluster.ClientAuthenticationProperty.builder()
                            .sasl(CfnServerlessCluster.SaslProperty.builder()
                                    .iam(CfnServerlessCluster.IamProperty.builder().enabled(true).build())
                                    .build())
                            .build())
                    .vpcConfigs(List.of(CfnServerlessCluster.VpcConfigProperty.builder()
                            .subnetIds(subnets)
                            .securityGroups(List.of(brokers.getSecurityGroupId()))
                            .build()))
                    .tags(Map.of("jobline:env", settings.env()))
                    .build();
            cluster.applyRemovalPolicy(removal);
            clusterArn = cluster.getAttrArn();
        } else {
            clusterArn = provisioned(settings, subnets, brokers, removal);
        }

        bootstrapBrokers = new BootstrapBrokers(this, "BootstrapBrokers", clusterArn, settings).saslIam();

        CfnOutput.Builder.create(this, "ClusterArn").value(clusterArn)
                .description("MSK cluster ARN").build();
        CfnOutput.Builder.create(this, "BootstrapBrokersSaslIam").value(bootstrapBrokers)
                .description("Bootstrap brokers for TLS + IAM clients (port 9098)").build();
    }

    private String provisioned(Settings settings, List<String> subnets, SecurityGroup brokers, RemovalPolicy removal) {
        Key key = Key.Builder.create(this, "DataKey")
                .description("Jobline " + settings.env() + ": MSK data at rest")
                .alias("alias/jobline-" + settings.env() + "-msk")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(settings.production() ? 30 : 7))
                .removalPolicy(removal)
                .build();
        LogGroup brokerLogs = LogGroup.Builder.create(this, "BrokerLogs")
                .logGroupName("/jobline/" + settings.env() + "/msk")
                .retention(Names.retention(settings.logRetentionDays()))
                .removalPolicy(removal)
                .build();
        int brokerCount = settings.maxAzs() * settings.brokersPerAz();
        CfnConfiguration configuration = CfnConfiguration.Builder.create(this, "Configuration")
                .name("jobline-" + settings.env() + "-" + settings.kafkaVersion().replace('.', '-'))
                .description("Jobline: no auto-created topics; durable defaults for replication and transactions")
                .kafkaVersionsList(List.of(settings.kafkaVersion()))
                .serverProperties(String.join("\n",
                        "auto.create.topics.enable=false",
                        "default.replication.factor=" + Math.min(3, brokerCount),
                        "min.insync.replicas=" + Math.max(1, Math.min(3, brokerCount) - 1),
                        "num.partitions=" + settings.topicPartitions(),
                        "offsets.topic.replication.factor=" + Math.min(3, brokerCount),
                        "transaction.state.log.replication.factor=" + Math.min(3, brokerCount),
                        "transaction.state.log.min.isr=" + Math.max(1, Math.min(3, brokerCount) - 1),
                        "unclean.leader.election.enable=false",
                        ""))
                .build();
        CfnCluster cluster = CfnCluster.Builder.create(this, "Cluster")
                .clusterName(settings.clusterName())
                .kafkaVersion(settings.kafkaVersion())
                .numberOfBrokerNodes(brokerCount)
                .brokerNodeGroupInfo(CfnCluster.BrokerNodeGroupInfoProperty.builder()
                        .instanceType(settings.brokerInstanceType())
                        .clientSubnets(subnets)
                        .securityGroups(List.of(brokers.getSecurityGroupId()))
                        .storageInfo(CfnCluster.StorageInfoProperty.builder()
                                .ebsStorageInfo(CfnCluster.EBSStorageInfoProperty.builder()
                                        .volumeSize(settings.brokerStorageGiB()).build())
                                .build())
                        .build())
                .clientAuthentication(CfnCluster.ClientAuthenticationProperty.builder()
                        .sasl(CfnCluster.SaslProperty.builder()
                                .iam(CfnCluster.IamProperty.builder().enabled(true).build())
                                .scram(CfnCluster.ScramProperty.builder().enabled(false).build())
                                .build())
                        .unauthenticated(CfnCluster.UnauthenticatedProperty.builder().enabled(false).build())
                        .build())
                .encryptionInfo(CfnCluster.EncryptionInfoProperty.builder()
                        .encryptionAtRest(CfnCluster.EncryptionAtRestProperty.builder()
                                .dataVolumeKmsKeyId(key.getKeyArn()).build())
                        .encryptionInTransit(CfnCluster.EncryptionInTransitProperty.builder()
                                .clientBroker("TLS").inCluster(true).build())
                        .build())
                .loggingInfo(CfnCluster.LoggingInfoProperty.builder()
                        .brokerLogs(CfnCluster.BrokerLogsProperty.builder()
                                .cloudWatchLogs(CfnCluster.CloudWatchLogsProperty.builder()
                                        .enabled(true).logGroup(brokerLogs.getLogGroupName()).build())
                                .build())
                        .build())
                .enhancedMonitoring(settings.monitoringLevel())
                .configurationInfo(CfnCluster.ConfigurationInfoProperty.builder()
                        .arn(configuration.getAttrArn()).revision(1).build())
                .tags(Map.of("jobline:env", settings.env()))
                .build();
        cluster.applyRemovalPolicy(removal);

        // Storage autoscaling: Application Auto Scaling grows the broker volumes at 60 % use (MSK never shrinks them).
        ScalableTarget storage = ScalableTarget.Builder.create(this, "StorageScaling")
                .serviceNamespace(ServiceNamespace.KAFKA)
                .scalableDimension("kafka:broker-storage:VolumeSize")
                .resourceId(cluster.getAttrArn())
                .minCapacity(1)
                .maxCapacity(settings.brokerStorageMaxGiB())
                .role(Role.fromRoleArn(this, "StorageScalingRole", "arn:" + getPartition() + ":iam::" + getAccount()
                        + ":role/aws-service-role/kafka.application-autoscaling.amazonaws.com/"
                        + "AWSServiceRoleForApplicationAutoScaling_KafkaCluster"))
                .build();
        storage.scaleToTrackMetric("StorageUtilization", BasicTargetTrackingScalingPolicyProps.builder()
                .predefinedMetric(PredefinedMetric.KAFKA_BROKER_STORAGE_UTILIZATION)
                .targetValue(60)
                .disableScaleIn(true)
                .build());
        return cluster.getAttrArn();
    }

    /** The cluster's ARN (a token resolved at deployment). */
    public String clusterArn() {
        return clusterArn;
    }

    /** The cluster's name, as the consumer-lag metrics name it. */
    public String clusterName() {
        return settings.clusterName();
    }

    /** {@code host:9098,...}: where TLS + IAM clients connect. */
    public String bootstrapBrokers() {
        return bootstrapBrokers;
    }

    /**
     * The brokers' security group: no rule lets anything in until a client's stack adds one for port 9098 (the
     * rule then lives in the client's stack, which depends on this one, never the other way round).
     */
    public SecurityGroup brokerSecurityGroup() {
        return brokerSecurityGroup;
    }
}
