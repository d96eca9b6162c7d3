package io.jobline.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.customresources.SdkCallsPolicyOptions;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The cluster's bootstrap broker string. CloudFormation has no attribute for it, so a custom resource calls MSK's
 * {@code GetBootstrapBrokers} (on create, and on every update of the stack, so a broker change reaches the
 * services at their next deployment). Its Lambda function runs with a role of its own: logging to its own log
 * group, and {@code kafka:GetBootstrapBrokers} on this cluster only.
 */
public final class BootstrapBrokers extends Construct {

    static final String SASL_IAM = "BootstrapBrokerStringSaslIam";

    private final AwsCustomResource resource;

    public BootstrapBrokers(Construct scope, String id, String clusterArn, Settings settings) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(Names.retention(settings.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Jobline " + settings.env() + ": reads the MSK bootstrap brokers at deployment")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logs.getLogGroupArn()))
                .build());
        AwsSdkCall call = AwsSdkCall.builder()
                .service("Kafka")
                .action("getBootstrapBrokers")
                .parameters(Map.of("ClusterArn", clusterArn))
                .physicalResourceId(PhysicalResourceId.of(settings.clusterName() + "-bootstrap-brokers"))
                .outputPaths(List.of(SASL_IAM))
                .build();
        resource = AwsCustomResource.Builder.create(this, "Call")
                .onCreate(call)
                .onUpdate(call)
                .role(role)
                .logGroup(logs)
                .installLatestAwsSdk(false)
                .timeout(Duration.minutes(2))
                .policy(AwsCustomResourcePolicy.fromSdkCalls(SdkCallsPolicyOptions.builder()
                        .resources(List.of(clusterArn)).build()))
                .build();
    }

    /** {@code b-1.<cluster>...:9098,b-2...}: the brokers for TLS + IAM clients. */
    public String saslIam() {
        return resource.getResponseField(SASL_IAM);
    }
}
