package io.jobline.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: {@code Jobline-Images} (the image repositories, shared by the environments of an account), then for
 * the environment named by the {@code env} context value: {@code Jobline-<env>-Network}, {@code -Kafka},
 * {@code -Services} and {@code -Monitoring}. cdk-nag's AWS Solutions checks run on every synthesis: an unsuppressed
 * finding fails it.
 *
 * <p>Run by the CDK CLI ({@code npx aws-cdk synth}, see cdk.json), or directly with Maven
 * ({@code ../mvnw -q compile exec:java [-Dexec.args="env=prod kafkaMode=serverless"]}), which reads cdk.json's context
 * and cdk.context.json itself and writes the templates to {@code cdk.out}.
 */
public final class JoblineApp {

    /** The stacks of one environment. */
    public record Stacks(ImagesStack images, NetworkStack network, KafkaStack kafka, ServicesStack services,
            MonitoringStack monitoring) {
    }

    private JoblineApp() {
    }

    public static void main(String[] args) {
        App app;
        if (System.getenv("CDK_OUTDIR") == null) {
            // not run by the CDK CLI: read what it would have passed
            Map<String, Object> context = context(Path.of("."));
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("arguments are context values, key=value; got " + arg);
                }
                context.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            app = new App(AppProps.builder().context(context).outdir("cdk.out").build());
        } else {
            app = new App();
        }
        Settings settings = Settings.fromContext(app.getNode());
        build(app, settings);
        checks(app);
        app.synth();
        if (System.getenv("CDK_OUTDIR") == null) {
            System.out.println("Synthesized Jobline " + settings.env() + " (" + settings.kafkaMode().name().toLowerCase()
                    + " MSK) into " + Path.of("cdk.out").toAbsolutePath().normalize());
        }
    }

    /** Adds the stacks of the environment {@code settings} describes. */
    public static Stacks build(App app, Settings settings) {
        Environment environment = Environment.builder()
                .account(settings.account())
                .region(settings.region())
                .build();
        String prefix = settings.stackPrefix();
        StackProps.Builder props = StackProps.builder()
                .env(environment)
                .terminationProtection(settings.production());

        ImagesStack images = new ImagesStack(app, "Jobline-Images", StackProps.builder().env(environment)
                .description("Jobline: image repositories of the three services").build(), settings);
        NetworkStack network = new NetworkStack(app, prefix + "-Network",
                props.description("Jobline " + settings.env() + ": VPC, subnets, NAT, flow logs").build(), settings);
        KafkaStack kafka = new KafkaStack(app, prefix + "-Kafka",
                props.description("Jobline " + settings.env() + ": MSK " + settings.kafkaMode().name().toLowerCase()
                        + " with IAM authentication").build(), settings, network.vpc());
        ServicesStack services = new ServicesStack(app, prefix + "-Services",
                props.description("Jobline " + settings.env() + ": ECS Fargate services, load balancer, scaling,"
                        + " secrets").build(), settings, network.vpc(), kafka);
        MonitoringStack monitoring = new MonitoringStack(app, prefix + "-Monitoring",
                props.description("Jobline " + settings.env() + ": alarms and dashboard").build(), settings, services);

        Tags.of(app).add("project", "jobline");
        Tags.of(app).add("jobline:env", settings.env());
        Stacks stacks = new Stacks(images, network, kafka, services, monitoring);
        Suppressions.apply(stacks, settings);
        return stacks;
    }

    /** cdk-nag's AWS Solutions rules, on every construct of the app. */
    public static void checks(App app) {
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    }

    /** The context the CDK CLI would pass: cdk.json's {@code context}, then cdk.context.json, from {@code dir}. */
    public static Map<String, Object> context(Path dir) {
        Map<String, Object> context = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        try {
            Path cdkJson = dir.resolve("cdk.json");
            if (Files.exists(cdkJson)) {
                Map<String, Object> root = json.readValue(cdkJson.toFile(), new TypeReference<>() { });
                Object fromCdkJson = root.get("context");
                if (fromCdkJson instanceof Map<?, ?> map) {
                    map.forEach((key, value) -> context.put(key.toString(), value));
                }
            }
            Path contextJson = dir.resolve("cdk.context.json");
            if (Files.exists(contextJson)) {
                context.putAll(json.readValue(contextJson.toFile(), new TypeReference<Map<String, Object>>() { }));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return context;
    }
}
