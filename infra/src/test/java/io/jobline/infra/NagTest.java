package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * cdk-nag's AWS Solutions checks find nothing unsuppressed in any variant (no error, no warning: the synthesis has
 * no error or warning message at all), and every suppression has a reason; the suppressions are printed, for the
 * record. (That the checks run at all is proven by the suppressions they record in the templates.)
 */
class NagTest {

    @ParameterizedTest
    @EnumSource(Synth.Variant.class)
    void noUnsuppressedFinding(Synth.Variant variant) {
        Synth.Result result = Synth.of(variant);
        List<String> findings = result.messages();
        assertThat(findings).isEmpty();
    }

    /** The way the test above reads findings does see them: an unencrypted, public-ish bucket is reported. */
    @Test
    void aNonCompliantResourceIsReported() {
        App app = new App();
        Stack stack = new Stack(app, "NagProbe", StackProps.builder().env(Environment.builder()
                .account(Settings.EXAMPLE_ACCOUNT).region(Settings.EXAMPLE_REGION).build()).build());
        new Bucket(stack, "Plain");
        JoblineApp.checks(app);
        List<String> messages = Synth.messages(Path.of(app.synth().getDirectory()));
        assertThat(messages).anyMatch(m -> m.startsWith("aws:cdk:error") && m.contains("AwsSolutions-S10"));
    }

    @ParameterizedTest
    @EnumSource(Synth.Variant.class)
    void everySuppressionIsNarrowAndSaysWhy(Synth.Variant variant) {
        Synth.Result result = Synth.of(variant);
        List<String> listed = new ArrayList<>();
        for (Stack stack : result.all()) {
            result.resources(stack).forEach((id, resource) -> {
                Object nag = Json.at(resource, "Metadata.cdk_nag.rules_to_suppress");
                for (Object rule : Json.list(nag)) {
                    Map<String, Object> r = Json.map(rule);
                    assertThat((String) r.get("reason")).as(id + " " + r.get("id")).hasSizeGreaterThan(60);
                    if ("AwsSolutions-IAM5".equals(r.get("id"))) {
                        assertThat(Json.list(r.get("applies_to"))).as("IAM5 on " + id + " names what it accepts")
                                .isNotEmpty();
                    }
                    listed.add(stack.getStackName() + "/" + id + ": " + r.get("id")
                            + (r.containsKey("applies_to") ? " " + r.get("applies_to") : ""));
                }
            });
        }
        assertThat(listed).isNotEmpty();
        System.out.println("cdk-nag suppressions, " + variant + ":\n  " + String.join("\n  ", listed));
    }
}
