package io.jobline.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes the app once per variant for the whole test JVM (the first synthesis starts jsii's Node process and
 * costs 7 to 28 s; the next ones about a second each), with cdk-nag's checks on, from cdk.json's context and
 * cdk.context.json like the CLI, plus the variant's overrides.
 */
final class Synth {

    /** The variants the tests look at. */
    enum Variant {
        DEV(Map.of("env", "dev")),
        PROD(Map.of("env", "prod", "certificateArn",
                "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
                "alarmEmail", "oncall@example.com")),
        SERVERLESS(Map.of("env", "dev", "kafkaMode", "serverless"));

        final Map<String, Object> context;

        Variant(Map<String, Object> context) {
            this.context = context;
        }
    }

    /** One synthesized variant: its settings, stacks, and each stack's template as plain maps. */
    record Result(Settings settings, JoblineApp.Stacks stacks, Map<String, Template> templates,
            Map<String, Map<String, Object>> json, Path assembly, long millis) {

        Template template(Stack stack) {
            return templates.get(stack.getStackName());
        }

        Map<String, Object> json(Stack stack) {
            return json.get(stack.getStackName());
        }

        List<Stack> all() {
            return List.of(stacks.images(), stacks.network(), stacks.kafka(), stacks.services(), stacks.monitoring());
        }

        /**
         * The error and warning messages of the synthesis (cdk-nag's findings among them), read from the cloud
         * assembly's metadata files: much faster than asking jsii for each stack's annotations.
         */
        List<String> messages() {
            return Synth.messages(assembly);
        }

        /** The resources of a stack's template, by logical id. */
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> resources(Stack stack) {
            return (Map<String, Map<String, Object>>) json(stack).get("Resources");
        }
    }

    /** The error and warning messages recorded in a cloud assembly directory. */
    static List<String> messages(Path assembly) {
        List<String> messages = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        try (var files = Files.list(assembly)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".metadata.json")
                    || f.getFileName().toString().equals("manifest.json")).toList()) {
                collect(mapper.readTree(file.toFile()), messages);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return messages;
    }

    private static void collect(JsonNode node, List<String> messages) {
        if (node.isObject()) {
            String type = node.path("type").asText("");
            if (type.equals("aws:cdk:error") || type.equals("aws:cdk:warning")) {
                messages.add(type + " " + node.path("data"));
            }
        }
        node.elements().forEachRemaining(child -> collect(child, messages));
    }

    private static final Map<Variant, Result> RESULTS = new ConcurrentHashMap<>();

    private Synth() {
    }

    static Result of(Variant variant) {
        return RESULTS.computeIfAbsent(variant, Synth::synthesize);
    }

    private static Result synthesize(Variant variant) {
        long start = System.nanoTime();
        Map<String, Object> context = JoblineApp.context(Path.of("."));
        context.putAll(variant.context);
        App app = new App(AppProps.builder().context(context).build());
        Settings settings = Settings.fromContext(app.getNode());
        JoblineApp.Stacks stacks = JoblineApp.build(app, settings);
        JoblineApp.checks(app);
        Path assembly = Path.of(app.synth().getDirectory());
        Map<String, Template> templates = new LinkedHashMap<>();
        Map<String, Map<String, Object>> json = new LinkedHashMap<>();
        for (Stack stack : List.of(stacks.images(), stacks.network(), stacks.kafka(), stacks.services(),
                stacks.monitoring())) {
            Template template = Template.fromStack(stack);
            templates.put(stack.getStackName(), template);
            json.put(stack.getStackName(), template.toJSON());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Result result = new Result(settings, stacks, templates, json, assembly, millis);
        StringBuilder counts = new StringBuilder();
        int total = 0;
        for (Stack stack : result.all()) {
            int n = result.resources(stack).size();
            total += n;
            counts.append(' ').append(stack.getStackName()).append('=').append(n);
        }
        System.out.printf("synthesized %s in %d ms: %d resources (%s)%n", variant, millis, total, counts.toString().trim());
        return result;
    }
}
