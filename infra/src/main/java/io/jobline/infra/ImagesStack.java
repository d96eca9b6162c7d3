package io.jobline.infra;

import java.util.List;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.constructs.Construct;

/**
 * The ECR repositories the release pipeline pushes the three images to ({@code docker/*.Dockerfile}), shared by every
 * environment of the account: an environment runs the tag its {@code imageTag} setting names. Tags are immutable
 * (a tag always means the same image), images are scanned on push, and only the newest 50 are kept. Synthesis never
 * builds or pushes an image.
 */
public final class ImagesStack extends Stack {

    public ImagesStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        for (String service : List.of(Names.COMMAND_API, Names.JOB_PROCESSOR, Names.STATUS_PROJECTION)) {
            Repository repository = Repository.Builder.create(this, service)
                    .repositoryName(settings.imageRepositoryPrefix() + "/" + service)
                    .imageScanOnPush(true)
                    .imageTagMutability(TagMutability.IMMUTABLE)
                    .lifecycleRules(List.of(LifecycleRule.builder()
                            .description("keep the newest 50 images")
                            .maxImageCount(50)
                            .build()))
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            CfnOutput.Builder.create(this, service + "-uri").value(repository.getRepositoryUri())
                    .description(service + " images").build();
        }
    }
}
