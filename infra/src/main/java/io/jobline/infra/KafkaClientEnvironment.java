package io.jobline.infra;

import java.util.Map;
import java.util.TreeMap;

/**
 * The environment variables that point a Jobline service at MSK: the bootstrap brokers, {@code SASL_SSL} with
 * {@code AWS_MSK_IAM} for every Kafka client (producers, consumers, admin clients, Kafka Streams: the services
 * build them all from Spring Boot's {@code spring.kafka.*} properties, which these variables set through relaxed
 * binding), and the topic settings the services create their topics with.
 *
 * <p>The services need {@code software.amazon.msk:aws-msk-iam-auth} on their classpath for the login module and
 * callback handler named here. Credentials come from the ECS task role through the AWS SDK's default chain.
 */
public final class KafkaClientEnvironment {

    public static final String SECURITY_PROTOCOL = "SASL_SSL";
    public static final String SASL_MECHANISM = "AWS_MSK_IAM";
    public static final String JAAS_CONFIG = "software.amazon.msk.auth.iam.IAMLoginModule required;";
    public static final String CALLBACK_HANDLER = "software.amazon.msk.auth.iam.IAMClientCallbackHandler";

    private KafkaClientEnvironment() {
    }

    /** The variables for a cluster at {@code bootstrapServers} (a deployment-time token is fine). */
    public static Map<String, String> of(String bootstrapServers, Settings settings) {
        Map<String, String> env = new TreeMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("KAFKA_SECURITY_PROTOCOL", SECURITY_PROTOCOL);
        env.put("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", SASL_MECHANISM);
        env.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS_CONFIG);
        env.put("SPRING_KAFKA_PROPERTIES_SASL_CLIENT_CALLBACK_HANDLER_CLASS", CALLBACK_HANDLER);
        env.put("JOBLINE_TOPICS_PARTITIONS", Integer.toString(settings.topicPartitions()));
        env.put("JOBLINE_TOPICS_REPLICATION_FACTOR", Integer.toString(settings.topicReplicationFactor()));
        env.put("JOBLINE_TOPICS_COMMANDS_RETENTION_MS", Long.toString(settings.commandsRetentionMs()));
        env.put("JOBLINE_TOPICS_EVENTS_RETENTION_MS", Long.toString(settings.eventsRetentionMs()));
        env.put("JOBLINE_TOPICS_LOGS_RETENTION_MS", Long.toString(settings.logsRetentionMs()));
        env.put("JOBLINE_TOPICS_DLQ_RETENTION_MS", Long.toString(settings.dlqRetentionMs()));
        return env;
    }
}
