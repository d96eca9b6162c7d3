package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The ECS cluster, the three Fargate services, the load balancer, Cloud Map and the secrets. */
class ServicesStackTest {

    private static Synth.Result dev;
    private static Synth.Result prod;
    private static Template services;
    private static Map<String, Map<String, Object>> resources;

    @BeforeAll
    static void synth() {
        dev = Synth.of(Synth.Variant.DEV);
        prod = Synth.of(Synth.Variant.PROD);
        services = dev.template(dev.stacks().services());
        resources = dev.resources(dev.stacks().services());
    }

    @Test
    void threeFargateServicesWithCircuitBreakerRollbackInPrivateSubnets() {
        services.resourceCountIs("AWS::ECS::Service", 3);
        services.allResourcesProperties("AWS::ECS::Service", Map.of(
                "LaunchType", "FARGATE",
                "DeploymentConfiguration", Map.of(
                        "DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true),
                        "MinimumHealthyPercent", 100),
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Map.of("AssignPublicIp", "DISABLED"))));
        assertThat(Json.ofType(resources, "AWS::ECS::Service").values().stream()
                .map(s -> Json.props(s).get("ServiceName")).toList())
                .containsExactlyInAnyOrder("jobline-command-api", "jobline-job-processor", "jobline-status-projection");
        services.hasResourceProperties("AWS::ECS::Cluster", Map.of("ClusterSettings",
                List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
    }

    @Test
    void everyContainerIsReadOnlyLogsToCloudWatchAndHasAHealthCheck() {
        services.resourceCountIs("AWS::ECS::TaskDefinition", 3);
        for (Map<String, Object> task : Json.ofType(resources, "AWS::ECS::TaskDefinition").values()) {
            Map<String, Object> container = Json.map(Json.list(Json.props(task).get("ContainerDefinitions")).get(0));
            assertThat(container).containsEntry("ReadonlyRootFilesystem", true);
            assertThat(Json.at(container, "LogConfiguration.LogDriver")).isEqualTo("awslogs");
            assertThat(Json.render(Json.at(container, "HealthCheck.Command.1"))).contains("/actuator/health/liveness");
            assertThat(Json.render(container.get("Image"))).contains(".dkr.ecr.", "/jobline/", ":0.1.0");
            assertThat(Json.list(container.get("MountPoints")))
                    .anySatisfy(m -> assertThat(Json.map(m)).containsEntry("ContainerPath", "/tmp"));
        }
    }

    @Test
    void commandApiIsBehindTheLoadBalancerCheckedOnReadinessWithAccessLogs() {
        services.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of(
                "Scheme", "internet-facing",
                "LoadBalancerAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "access_logs.s3.enabled", "Value", "true")))));
        services.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of(
                "LoadBalancerAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true")))));
        services.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Map.of(
                "Port", 8080,
                "TargetType", "ip",
                "HealthCheckPath", "/actuator/health/readiness",
                "Matcher", Map.of("HttpCode", "200")));
        services.hasResourceProperties("AWS::ECS::Service", Map.of(
                "ServiceName", "jobline-command-api",
                "HealthCheckGracePeriodSeconds", 120,
                "LoadBalancers", List.of(Map.of("ContainerName", "command-api", "ContainerPort", 8080,
                        "TargetGroupArn", Match.anyValue()))));
        services.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))));
        // dev has no certificate: plain HTTP; prod listens on HTTPS and redirects HTTP
        services.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", 80, "Protocol", "HTTP"));
        Template prodServices = prod.template(prod.stacks().services());
        prodServices.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 443, "Protocol", "HTTPS",
                "Certificates", List.of(Map.of("CertificateArn", prod.settings().certificateArn()))));
        prodServices.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 80, "DefaultActions", List.of(Map.of("Type", "redirect",
                        "RedirectConfig", Map.of("Protocol", "HTTPS", "Port", "443", "StatusCode", "HTTP_301")))));
        prodServices.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of(
                "LoadBalancerAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "deletion_protection.enabled", "Value", "true")))));
    }

    @Test
    void statusProjectionHasStableAddressesAndRoomForItsStores() {
        services.hasResourceProperties("AWS::ServiceDiscovery::PrivateDnsNamespace",
                Map.of("Name", "jobline-dev.internal"));
        services.hasResourceProperties("AWS::ServiceDiscovery::Service", Map.of("Name", "status-projection",
                "DnsConfig", Map.of("DnsRecords", List.of(Map.of("Type", "A", "TTL", 10)))));
        services.hasResourceProperties("AWS::ECS::Service", Map.of("ServiceName", "jobline-status-projection",
                "ServiceRegistries", List.of(Map.of("RegistryArn", Match.anyValue()))));
        Map<String, Object> task = task("status-projection");
        assertThat(Json.at(Json.props(task), "EphemeralStorage.SizeInGiB")).isEqualTo(30);
        assertThat(Json.environment(task)).containsEntry("JOBLINE_PROJECTION_STATE_DIR", "/data/status-projection")
                .containsEntry("SERVER_PORT", "8081")
                .doesNotContainKey("JOBLINE_PROJECTION_ADVERTISED_HOST");
        assertThat(Json.render(Json.environment(task("command-api")).get("JOBLINE_API_PROJECTION_URL")))
                .isEqualTo("http://status-projection.jobline-dev.internal:8081");
        // command-api and the other projection instances may reach the query port, nothing else
        Map<String, Object> group = Json.props(resources.get(services.getResourceId("AWS::EC2::SecurityGroup",
                Map.of("Properties", Map.of("GroupDescription", "Jobline dev: status-projection tasks")))));
        assertThat(group).doesNotContainKey("SecurityGroupIngress");
        long queryRules = Json.ofType(resources, "AWS::EC2::SecurityGroupIngress").values().stream().map(Json::props)
                .filter(p -> Integer.valueOf(8081).equals(p.get("FromPort"))).count();
        assertThat(queryRules).isEqualTo(2);
        assertThat(Json.at(Json.props(prod.resources(prod.stacks().services()).get(
                prod.template(prod.stacks().services()).getResourceId("AWS::ECS::TaskDefinition",
                        Map.of("Properties", Map.of("Family", "jobline-prod-status-projection"))))),
                "EphemeralStorage.SizeInGiB")).isEqualTo(100);
    }

    @Test
    void jobProcessorRunsAnInitProcessAndStopsGracefully() {
        Map<String, Object> container = Json.map(Json.list(Json.props(task("job-processor"))
                .get("ContainerDefinitions")).get(0));
        assertThat(Json.at(container, "LinuxParameters.InitProcessEnabled")).isEqualTo(true);
        assertThat(container).containsEntry("StopTimeout", 120);
        assertThat(Json.environment(task("job-processor")))
                .containsEntry("JOBLINE_PROCESSOR_SHUTDOWN_GRACE", "80s")
                .containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "100s")
                .containsEntry("JOBLINE_SNAKEMAKE_WORK_ROOT", "/data/runs")
                .containsEntry("JOBLINE_PROCESSOR_MAX_CONCURRENT_JOBS", "2");
        assertThat(Json.list(container.get("MountPoints")))
                .anySatisfy(m -> assertThat(Json.map(m)).containsEntry("ContainerPath", "/data"));
    }

    @Test
    void everyServiceTalksSaslSslWithMskIamAndCreatesTopicsForMsk() {
        for (String service : List.of("command-api", "job-processor", "status-projection")) {
            Map<String, Object> env = Json.environment(task(service));
            assertThat(env).as(service)
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "AWS_MSK_IAM")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                            "software.amazon.msk.auth.iam.IAMLoginModule required;")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_CLIENT_CALLBACK_HANDLER_CLASS",
                            "software.amazon.msk.auth.iam.IAMClientCallbackHandler")
                    .containsEntry("JOBLINE_TOPICS_REPLICATION_FACTOR", "3")
                    .containsEntry("JOBLINE_TOPICS_PARTITIONS", "6")
                    .containsEntry("JOBLINE_TOPICS_COMMANDS_RETENTION_MS", "-1")
                    .containsEntry("JOBLINE_TOPICS_LOGS_RETENTION_MS", "604800000");
            assertThat(Json.render(env.get("KAFKA_BOOTSTRAP_SERVERS"))).isEqualTo("<Import>");
        }
        assertThat(Json.environment(prod.resources(prod.stacks().services()).get(
                prod.template(prod.stacks().services()).getResourceId("AWS::ECS::TaskDefinition",
                        Map.of("Properties", Map.of("Family", "jobline-prod-job-processor"))))))
                .containsEntry("JOBLINE_TOPICS_PARTITIONS", "12");
    }

    /** command-api refuses to start on a malformed key table: the first deploy must not crash-loop. */
    @Test
    void theApiKeysSecretStartsAsAnEmptyTable() {
        services.hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
                "Name", "jobline/dev/api-keys", "SecretString", "[]"));
    }

    @Test
    void secretsComeFromSecretsManagerNotFromTheEnvironment() {
        services.resourceCountIs("AWS::SecretsManager::Secret", 3);
        Map<String, Object> api = Json.map(Json.list(Json.props(task("command-api")).get("ContainerDefinitions")).get(0));
        assertThat(Json.list(api.get("Secrets")).stream().map(s -> Json.map(s).get("Name")).toList())
                .containsExactlyInAnyOrder(ServiceSecrets.API_KEYS_ENV, ServiceSecrets.INTERNAL_KEY_ENV,
                        ServiceSecrets.JWT_ISSUER_ENV, ServiceSecrets.JWT_AUDIENCE_ENV);
        Map<String, Object> projection = Json.map(Json.list(Json.props(task("status-projection"))
                .get("ContainerDefinitions")).get(0));
        assertThat(Json.list(projection.get("Secrets")).stream().map(s -> Json.map(s).get("Name")).toList())
                .containsExactly(ServiceSecrets.INTERNAL_KEY_ENV);
        for (String service : List.of("command-api", "job-processor", "status-projection")) {
            assertThat(Json.environment(task(service)).keySet()).as(service)
                    .noneMatch(name -> name.contains("SECRET") || name.contains("PASSWORD") || name.endsWith("_KEY")
                            || name.endsWith("_KEYS"));
        }
    }

    private static Map<String, Object> task(String service) {
        return resources.get(services.getResourceId("AWS::ECS::TaskDefinition",
                Map.of("Properties", Map.of("Family", "jobline-dev-" + service))));
    }
}
