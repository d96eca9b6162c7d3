package io.jobline.infra;

import java.util.List;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * The cdk-nag findings (and CloudFormation validation warnings) accepted on purpose: each suppression sits on the
 * one resource it concerns, names the exact finding where a rule can report several, and says why.
 * {@code NagTest} lists them all and fails on any finding without one.
 */
final class Suppressions {

    static final String ENV_VARS = "The container environment holds configuration only (broker addresses, security"
            + " protocol and SASL class names, topic settings, ports, paths); every secret reaches the container from"
            + " Secrets Manager through the task definition's secrets.";
    static final String ECR_TOKEN = "ecr:GetAuthorizationToken has no resource-level permissions; the image pull"
            + " actions next to it are scoped to this service's repository.";

    private Suppressions() {
    }

    static void apply(JoblineApp.Stacks stacks, Settings settings) {
        // The VPC spreads its subnets over the availability zones that cdk.context.json (or a lookup) names.
        Validations.of(stacks.network()).acknowledge(Acknowledgment.builder()
                .id("CloudFormation-Validate::W3010")
                .reason("The subnets' availability zones come from the account's own list (context lookup,"
                        + " committed in cdk.context.json), as CDK's Vpc does; they are not guessed.")
                .build());

        ServicesStack services = stacks.services();
        for (JoblineService service : List.of(services.commandApi(), services.jobProcessor(),
                services.statusProjection())) {
            suppress(service.taskDefinition().getNode().getDefaultChild(), "AwsSolutions-ECS2", ENV_VARS);
            suppress(service.taskDefinition().obtainExecutionRole(), true, "AwsSolutions-IAM5", ECR_TOKEN,
                    "Resource::*");
        }
        String prefixes = "Kafka Streams names its internal topics <application id>-<store>-changelog and its"
                + " transactional ids <application id>-<process uuid>-<thread>; the processor's own transactional"
                + " ids carry its worker id. Each grant is that one prefix, on this cluster only: the full names are"
                + " made at run time.";
        NagSuppressions.addResourceSuppressions(services.jobProcessor().taskRole(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5").reason(prefixes)
                .appliesTo(List.of(regex("topic", Names.SUPERVISOR_APP + "-*"),
                        regex("transactional-id", Names.PROCESSOR_GROUP + "-*")))
                .build()), true);
        NagSuppressions.addResourceSuppressions(services.statusProjection().taskRole(), List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5").reason(prefixes)
                        .appliesTo(List.of(regex("topic", Names.PROJECTION_APP + "-*"),
                                regex("transactional-id", Names.PROJECTION_APP + "-*")))
                        .build()), true);

        suppress(services.secrets().apiKeys(), "AwsSolutions-SMG4", "The API keys table (hashes of the keys issued"
                + " to clients) changes when keys are issued or revoked, a procedure with the clients"
                + " (docs/DEPLOYING.md), not a scheduled Lambda's job.");
        suppress(services.secrets().internalKey(), "AwsSolutions-SMG4", "ECS reads secrets when a task starts: a"
                + " rotation must change the key and then restart command-api and status-projection together, which"
                + " docs/DEPLOYING.md describes (put a new value, force a new deployment of both).");
        suppress(services.secrets().tokenSettings(), "AwsSolutions-SMG4", "Holds no credential: the bearer"
                + " tokens' issuer and audience, which change only with the identity provider.");
        if (settings.apiAllowedCidr().equals("0.0.0.0/0")) {
            suppress(services.loadBalancer().getConnections().getSecurityGroups().get(0).getNode().getDefaultChild(),
                    "AwsSolutions-EC23",
                    "The load balancer is the public entry of the API, on ports 80 and 443 only (80 redirects to"
                            + " 443 when a certificate is set); narrow it with the apiAllowedCidr setting.");
        }
        suppress(services.accessLogs().getNode().getDefaultChild(), "AwsSolutions-S1", "This bucket is the destination of the load"
                + " balancer's access logs; logging the access to it would need another bucket with the same finding.");
    }

    private static void suppress(IConstruct construct, String id, String reason) {
        NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder()
                .id(id).reason(reason).build()), false);
    }

    private static void suppress(IConstruct construct, boolean children, String id, String reason, String appliesTo) {
        NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder()
                .id(id).reason(reason).appliesTo(List.of(appliesTo)).build()), children);
    }

    /** Matches cdk-nag's rendering of an MSK ARN of this type and name under the (token) cluster path. */
    private static RegexAppliesTo regex(String type, String name) {
        return RegexAppliesTo.builder()
                .regex("/^Resource::arn:<AWS::Partition>:kafka:<AWS::Region>:<AWS::AccountId>:" + type + "\\/.+\\/"
                        + name.replace(".", "\\.").replace("*", "\\*") + "$/")
                .build();
    }
}
