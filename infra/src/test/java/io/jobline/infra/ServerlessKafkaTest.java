package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Template;

/** {@code kafkaMode=serverless}: MSK Serverless with IAM, and the same services, grants and bootstrap lookup. */
class ServerlessKafkaTest {

    private static Synth.Result serverless;
    private static Template kafka;

    @BeforeAll
    static void synth() {
        serverless = Synth.of(Synth.Variant.SERVERLESS);
        kafka = serverless.template(serverless.stacks().kafka());
    }

    @Test
    void aServerlessClusterWithIamInThePrivateSubnets() {
        kafka.resourceCountIs("AWS::MSK::Cluster", 0);
        kafka.resourceCountIs("AWS::MSK::ServerlessCluster", 1);
        kafka.hasResourceProperties("AWS::MSK::ServerlessCluster", Map.of(
                "ClusterName", "jobline-dev",
                "ClientAuthentication", Map.of("Sasl", Map.of("Iam", Map.of("Enabled", true)))));
        Map<String, Object> cluster = Json.props(Json.ofType(serverless.resources(serverless.stacks().kafka()),
                "AWS::MSK::ServerlessCluster").values().iterator().next());
        assertThat(Json.list(Json.at(cluster, "VpcConfigs.0.SubnetIds"))).hasSize(3);
        // nothing to configure, log or scale: MSK Serverless manages storage, encryption and replication itself
        kafka.resourceCountIs("AWS::MSK::Configuration", 0);
        kafka.resourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 0);
        kafka.resourceCountIs("AWS::KMS::Key", 0);
    }

    @Test
    void servicesFindItThroughGetBootstrapBrokersAndUseTheSameSettings() {
        Map<String, Object> call = Json.props(Json.ofType(serverless.resources(serverless.stacks().kafka()),
                "Custom::AWS").values().iterator().next());
        assertThat(Json.render(call.get("Create"))).contains("getBootstrapBrokers");
        Template services = serverless.template(serverless.stacks().services());
        services.resourceCountIs("AWS::ECS::Service", 3);
        Map<String, Map<String, Object>> resources = serverless.resources(serverless.stacks().services());
        Map<String, Object> task = resources.get(services.getResourceId("AWS::ECS::TaskDefinition",
                Map.of("Properties", Map.of("Family", "jobline-dev-job-processor"))));
        assertThat(Json.environment(task)).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("JOBLINE_TOPICS_REPLICATION_FACTOR", "3");
        // the same grants: serverless cluster ARNs have the same cluster/<name>/<uuid> shape
        assertThat(Json.ofType(resources, "AWS::IAM::Policy").values().stream()
                .flatMap(p -> Json.list(Json.at(Json.props(p), "PolicyDocument.Statement")).stream())
                .filter(s -> "KafkaTransactionalIds".equals(Json.map(s).get("Sid"))).count()).isEqualTo(2);
        serverless.template(serverless.stacks().monitoring()).hasResourceProperties("AWS::CloudWatch::Alarm",
                Map.of("MetricName", "SumOffsetLag", "Dimensions", software.amazon.awscdk.assertions.Match.arrayWith(
                        List.of(Map.of("Name", "Cluster Name", "Value", "jobline-dev")))));
    }
}
