package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** MSK provisioned (dev and prod sizes): authentication, encryption, logs, monitoring, storage, bootstrap brokers. */
class KafkaStackTest {

    private static Synth.Result dev;
    private static Synth.Result prod;
    private static Template kafka;
    private static Map<String, Map<String, Object>> resources;

    @BeforeAll
    static void synth() {
        dev = Synth.of(Synth.Variant.DEV);
        prod = Synth.of(Synth.Variant.PROD);
        kafka = dev.template(dev.stacks().kafka());
        resources = dev.resources(dev.stacks().kafka());
    }

    @Test
    void iamIsTheOnlyClientAuthentication() {
        kafka.resourceCountIs("AWS::MSK::Cluster", 1);
        kafka.resourceCountIs("AWS::MSK::ServerlessCluster", 0);
        kafka.hasResourceProperties("AWS::MSK::Cluster", Map.of("ClientAuthentication", Map.of(
                "Sasl", Map.of("Iam", Map.of("Enabled", true), "Scram", Map.of("Enabled", false)),
                "Unauthenticated", Map.of("Enabled", false))));
        Map<String, Object> auth = Json.map(Json.at(cluster(), "ClientAuthentication"));
        assertThat(auth).doesNotContainKey("Tls");
    }

    @Test
    void encryptedInTransitEverywhereAndAtRestWithARotatingKey() {
        kafka.hasResourceProperties("AWS::MSK::Cluster", Map.of("EncryptionInfo", Map.of(
                "EncryptionInTransit", Map.of("ClientBroker", "TLS", "InCluster", true),
                "EncryptionAtRest", Map.of("DataVolumeKMSKeyId",
                        Map.of("Fn::GetAtt", List.of(kafka.getResourceId("AWS::KMS::Key"), "Arn"))))));
        kafka.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void brokerLogsGoToCloudWatchAndMonitoringIsEnhanced() {
        kafka.hasResourceProperties("AWS::MSK::Cluster", Map.of(
                "LoggingInfo", Map.of("BrokerLogs", Map.of("CloudWatchLogs", Map.of("Enabled", true,
                        "LogGroup", Map.of("Ref", kafka.getResourceId("AWS::Logs::LogGroup",
                                Map.of("Properties", Map.of("LogGroupName", "/jobline/dev/msk"))))))),
                "EnhancedMonitoring", "PER_BROKER"));
        prod.template(prod.stacks().kafka()).hasResourceProperties("AWS::MSK::Cluster",
                Map.of("EnhancedMonitoring", "PER_TOPIC_PER_PARTITION", "BrokerNodeGroupInfo",
                        Map.of("InstanceType", "kafka.m7g.large")));
    }

    @Test
    void brokersAreAMultipleOfTheSubnetsAndEnoughForReplicationFactorThree() {
        Map<String, Object> props = cluster();
        int brokers = ((Number) props.get("NumberOfBrokerNodes")).intValue();
        int subnets = Json.list(Json.at(props, "BrokerNodeGroupInfo.ClientSubnets")).size();
        assertThat(subnets).isEqualTo(3);
        assertThat(brokers % subnets).isZero();
        assertThat(brokers).isGreaterThanOrEqualTo(3);
        String server = (String) Json.props(Json.ofType(resources, "AWS::MSK::Configuration").values().iterator().next())
                .get("ServerProperties");
        assertThat(server).contains("auto.create.topics.enable=false", "default.replication.factor=3",
                "min.insync.replicas=2", "transaction.state.log.replication.factor=3",
                "unclean.leader.election.enable=false");
    }

    @Test
    void storageGrowsAutomaticallyAndNeverShrinks() {
        kafka.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of(
                "ServiceNamespace", "kafka",
                "ScalableDimension", "kafka:broker-storage:VolumeSize",
                "MaxCapacity", 200,
                "ResourceId", Map.of("Fn::GetAtt", List.of(kafka.getResourceId("AWS::MSK::Cluster"), "Arn"))));
        kafka.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Map.of(
                        "PredefinedMetricSpecification",
                        Map.of("PredefinedMetricType", "KafkaBrokerStorageUtilization"),
                        "TargetValue", 60,
                        "DisableScaleIn", true)));
    }

    @Test
    void brokersAcceptOnlyTheServicesOnTheIamPort() {
        // no ingress in this stack: the services' stack adds one rule per service security group, port 9098 only
        kafka.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
        Map<String, Object> group = Json.props(resources.get(Json.ofType(resources, "AWS::EC2::SecurityGroup")
                .keySet().iterator().next()));
        assertThat(Json.list(group.get("SecurityGroupIngress"))).isEmpty();
        Template services = dev.template(dev.stacks().services());
        Map<String, Map<String, Object>> ingress = Json.ofType(dev.resources(dev.stacks().services()),
                "AWS::EC2::SecurityGroupIngress");
        long toBrokers = ingress.values().stream().map(Json::props)
                .filter(p -> Json.render(p.get("GroupId")).equals("<Import>"))
                .peek(p -> assertThat(p).containsEntry("FromPort", 9098).containsEntry("ToPort", 9098))
                .count();
        assertThat(toBrokers).isEqualTo(3);
        services.resourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress",
                Map.of("FromPort", 9098, "IpProtocol", "tcp", "SourceSecurityGroupId", Match.anyValue()), 3);
    }

    @Test
    void bootstrapBrokersComeFromGetBootstrapBrokersOnThisClusterOnly() {
        Map<String, Object> call = Json.props(Json.ofType(resources, "Custom::AWS").values().iterator().next());
        String create = Json.render(call.get("Create"));
        assertThat(create).contains("\"service\":\"Kafka\"", "\"action\":\"getBootstrapBrokers\"",
                "BootstrapBrokerStringSaslIam");
        Map<String, Map<String, Object>> policies = Json.ofType(resources, "AWS::IAM::Policy");
        List<Object> statements = policies.values().stream()
                .flatMap(p -> Json.list(Json.at(Json.props(p), "PolicyDocument.Statement")).stream()).toList();
        assertThat(statements).anySatisfy(s -> {
            assertThat(Json.map(s).get("Action")).isEqualTo("kafka:GetBootstrapBrokers");
            assertThat(Json.map(s).get("Resource")).isEqualTo(
                    Map.of("Fn::GetAtt", List.of(kafka.getResourceId("AWS::MSK::Cluster"), "Arn")));
        });
        kafka.hasOutput("BootstrapBrokersSaslIam", Map.of("Value", Match.anyValue()));
        // the function logs with a role of its own: no AWS managed policy anywhere in the stack
        Json.ofType(resources, "AWS::IAM::Role").values().forEach(role ->
                assertThat(Json.props(role)).doesNotContainKey("ManagedPolicyArns"));
    }

    @Test
    void retainedInProductionDestroyedInDev() {
        assertThat(resources.get(kafka.getResourceId("AWS::MSK::Cluster")).get("DeletionPolicy")).isEqualTo("Delete");
        Template prodKafka = prod.template(prod.stacks().kafka());
        Map<String, Map<String, Object>> prodResources = prod.resources(prod.stacks().kafka());
        assertThat(prodResources.get(prodKafka.getResourceId("AWS::MSK::Cluster")).get("DeletionPolicy"))
                .isEqualTo("Retain");
        assertThat(prodResources.get(prodKafka.getResourceId("AWS::KMS::Key")).get("DeletionPolicy"))
                .isEqualTo("Retain");
    }

    private static Map<String, Object> cluster() {
        return Json.props(Json.ofType(resources, "AWS::MSK::Cluster").values().iterator().next());
    }
}
