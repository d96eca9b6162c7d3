package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

import software.amazon.awscdk.assertions.Template;
import software.amazon.msk.auth.iam.IAMClientCallbackHandler;
import software.amazon.msk.auth.iam.IAMLoginModule;
import software.amazon.msk.auth.iam.internals.IAMSaslClient;
import software.amazon.msk.auth.iam.internals.IAMSaslClientProvider;

/**
 * The Kafka client properties the services end up with on ECS. The environment each task definition sets (read from
 * the synthesized template) is bound over the service's own yml ({@code <service>/src/main/resources/<service>.yml},
 * read, not changed) the way Spring Boot does it (system environment first, relaxed binding, placeholders), into
 * Boot's {@link KafkaProperties}. Every client the services build comes from these properties: producers,
 * consumers, admin clients (readiness probes, topic creation) and Kafka Streams.
 */
class KafkaClientPropertiesTest {

    private static final String BROKERS = "b-1.jobline-dev.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,"
            + "b-2.jobline-dev.abc123.c2.kafka.eu-west-1.amazonaws.com:9098";

    private static Synth.Result dev;

    @BeforeAll
    static void synth() {
        dev = Synth.of(Synth.Variant.DEV);
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-api", "job-processor", "status-projection"})
    void everyClientIsSaslSslWithMskIam(String service) throws IOException {
        KafkaProperties kafka = bind(service, BROKERS).bind("spring.kafka", Bindable.of(KafkaProperties.class)).get();
        List<Map<String, Object>> clients = List.of(kafka.buildProducerProperties(), kafka.buildConsumerProperties(),
                kafka.buildAdminProperties(), kafka.buildStreamsProperties());
        for (Map<String, Object> client : clients) {
            assertThat(client).as(service)
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                    .containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;")
                    .containsEntry("sasl.client.callback.handler.class",
                            "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
            assertThat(String.valueOf(client.get("bootstrap.servers"))).as(service)
                    .contains("b-1.jobline-dev.abc123.c2.kafka.eu-west-1.amazonaws.com:9098");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-api", "job-processor", "status-projection"})
    void topicsAreCreatedWithTheProductionSettings(String service) throws IOException {
        Binder binder = bind(service, BROKERS);
        assertThat(binder.bind("jobline.topics.partitions", Integer.class).get()).isEqualTo(6);
        assertThat(binder.bind("jobline.topics.replication-factor", Short.class).get()).isEqualTo((short) 3);
        assertThat(binder.bind("jobline.topics.commands-retention-ms", Long.class).get()).isEqualTo(-1L);
        assertThat(binder.bind("jobline.topics.logs-retention-ms", Long.class).get()).isEqualTo(604_800_000L);
        assertThat(binder.bind("jobline.topics.dlq-retention-ms", Long.class).get()).isEqualTo(2_592_000_000L);
    }

    @Test
    void theStreamsAppsReplicateTheirInternalTopicsThreeTimesAndKeepExactlyOnce() throws IOException {
        for (String service : List.of("job-processor", "status-projection")) {
            Map<String, Object> streams = bind(service, BROKERS)
                    .bind("spring.kafka", Bindable.of(KafkaProperties.class)).get().buildStreamsProperties();
            assertThat(String.valueOf(streams.get("replication.factor"))).as(service).isEqualTo("3");
            assertThat(streams).as(service).containsEntry("processing.guarantee", "exactly_once_v2");
        }
        KafkaProperties projection = bind("status-projection", BROKERS)
                .bind("spring.kafka", Bindable.of(KafkaProperties.class)).get();
        assertThat(projection.buildStreamsProperties())
                .containsEntry("application.id", "jobline-status-projection")
                .containsEntry("state.dir", "/data/status-projection")
                .containsEntry("num.standby.replicas", "0");
    }

    /**
     * Kafka's own clients accept these properties and load the MSK IAM login module and callback handler (from the
     * aws-msk-iam-auth jar the services ship): a producer, a consumer, an admin client and a Kafka Streams
     * application (which builds all three) are created against a closed local port, then closed.
     */
    @Test
    void kafkaClientsStartWithTheseProperties(@TempDir Path stateDir) throws IOException {
        String nowhere = "127.0.0.1:1";
        KafkaProperties processor = bind("job-processor", nowhere)
                .bind("spring.kafka", Bindable.of(KafkaProperties.class)).get();
        try (var producer = new KafkaProducer<>(processor.buildProducerProperties(), new StringSerializer(),
                new StringSerializer());
                var consumer = new KafkaConsumer<>(processor.buildConsumerProperties(), new StringDeserializer(),
                        new StringDeserializer());
                var admin = Admin.create(processor.buildAdminProperties())) {
            assertThat(producer.metrics()).isNotEmpty();
            assertThat(consumer.metrics()).isNotEmpty();
            assertThat(admin.metrics()).isNotEmpty();
        }
        KafkaProperties projection = bind("status-projection", nowhere)
                .bind("spring.kafka", Bindable.of(KafkaProperties.class)).get();
        Properties streamsConfig = new Properties();
        streamsConfig.putAll(projection.buildStreamsProperties());
        streamsConfig.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Names.COMMANDS).to(Names.JOB_STATUS);
        KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig);
        streams.close(Duration.ofSeconds(5));
    }

    /**
     * Offline, the MSK IAM SASL client signs its first message (SigV4, action {@code kafka-cluster:Connect}) with
     * the credentials of the SDK's default chain (here from system properties; on ECS from the task role) and the
     * region of the broker's name: the jar and the AWS SDK work with the versions Spring Boot's dependency
     * management picks.
     */
    @Test
    void theIamSaslClientSignsItsFirstMessageOffline() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        try {
            IAMSaslClientProvider.initialize();
            IAMClientCallbackHandler handler = new IAMClientCallbackHandler();
            handler.configure(Map.of(), "AWS_MSK_IAM", List.of(new AppConfigurationEntry(
                    IAMLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())));
            String mechanism = IAMSaslClient.getMechanismNameForClassLoader(getClass().getClassLoader());
            SaslClient client = Sasl.createSaslClient(new String[] {mechanism}, null, "kafka",
                    "b-1.jobline-dev.abc123.c2.kafka.eu-west-1.amazonaws.com", new HashMap<>(), handler);
            assertThat(client).isNotNull();
            String first = new String(client.evaluateChallenge(new byte[0]), StandardCharsets.UTF_8);
            assertThat(first).contains("\"action\":\"kafka-cluster:Connect\"", "AKIAIOSFODNN7EXAMPLE/",
                    "/eu-west-1/kafka-cluster/aws4_request", "\"x-amz-signature\"");
            handler.close();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    /** The service's environment as its task definition sets it, bound over its yml as Boot does. */
    private static Binder bind(String service, String brokers) throws IOException {
        Template template = dev.template(dev.stacks().services());
        Map<String, Object> task = dev.resources(dev.stacks().services()).get(template.getResourceId(
                "AWS::ECS::TaskDefinition", Map.of("Properties", Map.of("Family", "jobline-dev-" + service))));
        Map<String, Object> env = new HashMap<>();
        Json.environment(task).forEach((name, value) -> env.put(name, Json.render(value)));
        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("<Import>"); // resolved at deployment
        env.put("KAFKA_BOOTSTRAP_SERVERS", brokers);

        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        Path yml = Path.of("..", service, "src", "main", "resources", service + ".yml");
        assertThat(yml).exists();
        for (PropertySource<?> source : new YamlPropertySourceLoader().load(service + ".yml",
                new FileSystemResource(yml))) {
            sources.addLast(source);
        }
        return Binder.get(environment);
    }
}
