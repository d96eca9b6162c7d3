package io.jobline.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.CfnSecurityGroupIngress;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.CloudMapOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.RedirectOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.servicediscovery.DnsRecordType;
import software.amazon.awscdk.services.servicediscovery.PrivateDnsNamespace;
import software.constructs.Construct;

/**
 * The three services on one ECS cluster (Container Insights on): command-api behind an internet-facing
 * Application Load Balancer (access logs in S3, health checks on the readiness endpoint), job-processor, and
 * status-projection registered in Cloud Map so that command-api and the other projection instances reach it, with
 * room for its state stores on the task's ephemeral storage. Scaling is in {@link Scaling}, the secrets in
 * {@link ServiceSecrets}.
 */
public final class ServicesStack extends Stack {

    private final Cluster cluster;
    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationTargetGroup apiTargets;
    private final JoblineService commandApi;
    private final JoblineService jobProcessor;
    private final JoblineService statusProjection;
    private final ServiceSecrets secrets;
    private final Bucket accessLogs;

    public ServicesStack(Construct scope, String id, StackProps props, Settings settings, IVpc vpc,
            KafkaStack kafka) {
        super(scope, id, props);
        String env = settings.env();

        cluster = Cluster.Builder.create(this, "Cluster")
                .clusterName("jobline-" + env)
                .vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();
        PrivateDnsNamespace namespace = PrivateDnsNamespace.Builder.create(this, "Namespace")
                .name("jobline-" + env + ".internal")
                .vpc(vpc)
                .description("Jobline " + env + ": addresses of the status-projection instances")
                .build();
        secrets = new ServiceSecrets(this, "Secrets", settings);

        SecurityGroup albGroup = SecurityGroup.Builder.create(this, "LoadBalancerSecurityGroup")
                .vpc(vpc).allowAllOutbound(false)
                .description("Jobline " + env + ": the public load balancer").build();
        SecurityGroup apiGroup = SecurityGroup.Builder.create(this, "CommandApiSecurityGroup")
                .vpc(vpc).allowAllOutbound(true)
                .description("Jobline " + env + ": command-api tasks").build();
        SecurityGroup processorGroup = SecurityGroup.Builder.create(this, "JobProcessorSecurityGroup")
                .vpc(vpc).allowAllOutbound(true)
                .description("Jobline " + env + ": job-processor tasks (no inbound traffic)").build();
        SecurityGroup projectionGroup = SecurityGroup.Builder.create(this, "StatusProjectionSecurityGroup")
                .vpc(vpc).allowAllOutbound(true)
                .description("Jobline " + env + ": status-projection tasks").build();
        projectionGroup.addIngressRule(apiGroup, Port.tcp(Names.PROJECTION_PORT), "command-api queries");
        projectionGroup.addIngressRule(projectionGroup, Port.tcp(Names.PROJECTION_PORT),
                "queries forwarded between projection instances");
        // the brokers let the three services in on the TLS + IAM port (rules kept here: this stack depends on Kafka's)
        Map<String, SecurityGroup> kafkaClients = new TreeMap<>(Map.of("CommandApi", apiGroup,
                "JobProcessor", processorGroup, "StatusProjection", projectionGroup));
        kafkaClients.forEach((name, group) -> CfnSecurityGroupIngress.Builder.create(this, "KafkaFrom" + name)
                .groupId(kafka.brokerSecurityGroup().getSecurityGroupId())
                .sourceSecurityGroupId(group.getSecurityGroupId())
                .ipProtocol("tcp")
                .fromPort(Names.MSK_IAM_PORT)
                .toPort(Names.MSK_IAM_PORT)
                .description("Kafka (TLS, IAM) from " + name)
                .build());

        Map<String, String> kafkaEnv = KafkaClientEnvironment.of(kafka.bootstrapBrokers(), settings);
        String kafkaArn = kafka.clusterArn();

        // status-projection
        Map<String, String> projectionEnv = new HashMap<>(kafkaEnv);
        projectionEnv.put("SERVER_PORT", Integer.toString(Names.PROJECTION_PORT));
        projectionEnv.put("JOBLINE_PROJECTION_STATE_DIR", "/data/status-projection");
        projectionEnv.put("SPRING_KAFKA_STREAMS_PROPERTIES_NUM_STANDBY_REPLICAS",
                Integer.toString(settings.projectionStandbyReplicas()));
        // JOBLINE_PROJECTION_ADVERTISED_HOST: the image's entrypoint sets the task's own address (from the ECS task
        // metadata endpoint), which is what the other instances reach through Kafka Streams' application.server.
        statusProjection = new JoblineService(this, "StatusProjection", settings, cluster,
                repository("StatusProjectionImages", settings, Names.STATUS_PROJECTION),
                kafkaArn, new JoblineService.Spec(Names.STATUS_PROJECTION, Names.PROJECTION_PORT,
                        settings.projectionCpu(), settings.projectionMemoryMiB(), settings.projectionEphemeralGiB(),
                        settings.projectionCount(), projectionEnv, secrets.forStatusProjection(),
                        List.of(projectionGroup), KafkaAccess.statusProjection(),
                        true, false, Duration.seconds(60),
                        CloudMapOptions.builder()
                                .cloudMapNamespace(namespace)
                                .name(Names.STATUS_PROJECTION)
                                .dnsRecordType(DnsRecordType.A)
                                .dnsTtl(Duration.seconds(10))
                                .build()));

        // job-processor
        Map<String, String> processorEnv = new HashMap<>(kafkaEnv);
        processorEnv.put("SERVER_PORT", Integer.toString(Names.PROCESSOR_PORT));
        processorEnv.put("JOBLINE_PROCESSOR_MAX_CONCURRENT_JOBS", Integer.toString(settings.processorConcurrentJobs()));
        processorEnv.put("JOBLINE_SNAKEMAKE_WORKFLOWS_DIR", "/app/workflows");
        processorEnv.put("JOBLINE_SNAKEMAKE_WORK_ROOT", "/data/runs");
        // ECS sends SIGTERM, then SIGKILL after the stop timeout (120 s, Fargate's maximum): running jobs get 80 s
        // to finish, the runner 10 s more to write their last events, Spring's lifecycle phase 100 s in all.
        processorEnv.put("JOBLINE_PROCESSOR_SHUTDOWN_GRACE", "80s");
        processorEnv.put("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "100s");
        jobProcessor = new JoblineService(this, "JobProcessor", settings, cluster,
                repository("JobProcessorImages", settings, Names.JOB_PROCESSOR),
                kafkaArn, new JoblineService.Spec(Names.JOB_PROCESSOR, Names.PROCESSOR_PORT,
                        settings.processorCpu(), settings.processorMemoryMiB(), settings.processorEphemeralGiB(),
                        settings.processorMinCount(), processorEnv, Map.of(),
                        List.of(processorGroup), KafkaAccess.jobProcessor(),
                        true, true, Duration.seconds(120), null));
        JobMetrics.addFilters(this, settings, jobProcessor.logGroup());

        // command-api
        Map<String, String> apiEnv = new HashMap<>(kafkaEnv);
        apiEnv.put("SERVER_PORT", Integer.toString(Names.API_PORT));
        apiEnv.put("JOBLINE_API_PROJECTION_URL",
                "http://" + Names.STATUS_PROJECTION + "." + namespace.getNamespaceName() + ":" + Names.PROJECTION_PORT);
        apiEnv.put("JOBLINE_API_WORKFLOWS_DIR", "/app/workflows");
        commandApi = new JoblineService(this, "CommandApi", settings, cluster,
                repository("CommandApiImages", settings, Names.COMMAND_API),
                kafkaArn, new JoblineService.Spec(Names.COMMAND_API, Names.API_PORT,
                        settings.apiCpu(), settings.apiMemoryMiB(), 0, settings.apiMinCount(), apiEnv,
                        secrets.forCommandApi(), List.of(apiGroup),
                        KafkaAccess.commandApi(), false, false, Duration.seconds(30), null));

        // the load balancer
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .versioned(false)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(settings.accessLogRetentionDays()))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
                .loadBalancerName("jobline-" + env)
                .vpc(vpc)
                .internetFacing(true)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .securityGroup(albGroup)
                .dropInvalidHeaderFields(true)
                .idleTimeout(Duration.seconds(120))
                .deletionProtection(settings.production())
                .build();
        loadBalancer.logAccessLogs(accessLogs, "alb");

        ApplicationListener listener;
        if (settings.https()) {
            listener = loadBalancer.addListener("Https", BaseApplicationListenerProps.builder()
                    .port(443)
                    .protocol(ApplicationProtocol.HTTPS)
                    .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                    .certificates(List.of(ListenerCertificate.fromArn(settings.certificateArn())))
                    .open(false)
                    .build());
            loadBalancer.addListener("HttpRedirect", BaseApplicationListenerProps.builder()
                    .port(80)
                    .protocol(ApplicationProtocol.HTTP)
                    .open(false)
                    .defaultAction(ListenerAction.redirect(RedirectOptions.builder()
                            .protocol("HTTPS").port("443").permanent(true).build()))
                    .build());
            albGroup.addIngressRule(Peer.ipv4(settings.apiAllowedCidr()), Port.tcp(443), "API clients (HTTPS)");
        } else {
            listener = loadBalancer.addListener("Http", BaseApplicationListenerProps.builder()
                    .port(80)
                    .protocol(ApplicationProtocol.HTTP)
                    .open(false)
                    .build());
        }
        albGroup.addIngressRule(Peer.ipv4(settings.apiAllowedCidr()), Port.tcp(80),
                settings.https() ? "API clients (redirected to HTTPS)" : "API clients (HTTP)");
        apiTargets = listener.addTargets("CommandApi", AddApplicationTargetsProps.builder()
                .port(Names.API_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .targets(List.of(commandApi.service()))
                .deregistrationDelay(Duration.seconds(30))
                .healthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
                        .path(Names.READINESS_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(15))
                        .timeout(Duration.seconds(5))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build())
                .build());
        // ECS ignores the load balancer's health checks while a new task starts (Spring Boot, then Kafka)
        ((software.amazon.awscdk.services.ecs.CfnService) commandApi.service().getNode().getDefaultChild())
                .setHealthCheckGracePeriodSeconds(120);

        Scaling.commandApi(commandApi.service(), apiTargets, settings);
        Scaling.jobProcessor(jobProcessor.service(), settings);

        CfnOutput.Builder.create(this, "ApiUrl")
                .value((settings.https() ? "https://" : "http://") + loadBalancer.getLoadBalancerDnsName())
                .description("Jobline API (point a DNS name of the certificate at the load balancer for HTTPS)")
                .build();
    }

    private IRepository repository(String id, Settings settings, String service) {
        return Repository.fromRepositoryName(this, id, settings.imageRepositoryPrefix() + "/" + service);
    }

    public Cluster cluster() {
        return cluster;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    public ApplicationTargetGroup apiTargets() {
        return apiTargets;
    }

    public JoblineService commandApi() {
        return commandApi;
    }

    public JoblineService jobProcessor() {
        return jobProcessor;
    }

    public JoblineService statusProjection() {
        return statusProjection;
    }

    public ServiceSecrets secrets() {
        return secrets;
    }

    public Bucket accessLogs() {
        return accessLogs;
    }
}
