package io.jobline.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * What one service does on Kafka, and the MSK IAM statements that allow exactly that, scoped to its topics, groups
 * and transactional ids (MSK's {@code kafka-cluster:*} actions, see "Semantics of IAM authorization policy actions
 * and resources" in the MSK developer guide).
 *
 * <p>The three services all declare every Jobline topic at start-up (Spring's {@code KafkaAdmin} describes them
 * and creates the missing ones), all run a readiness probe ({@code DescribeCluster}), and all produce with
 * idempotence on (Kafka's default, and {@code acks=all} for the API). A Kafka Streams application also creates,
 * describes (configuration included), reads and writes its internal topics, named {@code <application id>-*}, and
 * with {@code exactly_once_v2} uses transactional ids {@code <application id>-*} and commits offsets in its group.
 *
 * @param service         the service name, for statement ids
 * @param readTopics      topics it consumes
 * @param writeTopics     topics it produces to
 * @param groups          consumer groups it joins, commits in or reads the offsets of
 * @param transactionalIdPrefixes prefixes of the transactional ids its producers use
 * @param streamsApps     Kafka Streams application ids: their internal topics ({@code <id>-*})
 */
public record KafkaAccess(String service, List<String> readTopics, List<String> writeTopics, List<String> groups,
        List<String> transactionalIdPrefixes, List<String> streamsApps) {

    /**
     * command-api: writes commands (idempotent producer, not transactional). It reads {@code jobline.job-status}
     * by partition assignment (no consumer group) to serve the SSE feeds, and writes the dead letter of a job-status
     * record it cannot decode.
     */
    public static KafkaAccess commandApi() {
        return new KafkaAccess(Names.COMMAND_API, List.of(Names.JOB_STATUS), List.of(Names.COMMANDS, Names.DLQ),
                List.of(),
                List.of(), List.of());
    }

    /**
     * job-processor: the intake consumes commands in group {@code jobline-job-processor} and writes events, logs,
     * dead letters (and the supervisor's automatic retries, on commands) in transactions with ids
     * {@code jobline-job-processor-<worker>-*}; the cancel watch reads commands by assignment at the intake group's
     * offsets; the supervisor is a Kafka Streams app ({@code jobline-job-processor-supervisor}) reading commands and
     * events and writing events and commands with exactly-once.
     */
    public static KafkaAccess jobProcessor() {
        return new KafkaAccess(Names.JOB_PROCESSOR, List.of(Names.COMMANDS, Names.EVENTS),
                List.of(Names.EVENTS, Names.LOGS, Names.DLQ, Names.COMMANDS),
                List.of(Names.PROCESSOR_GROUP, Names.SUPERVISOR_APP),
                List.of(Names.PROCESSOR_GROUP + "-"), List.of(Names.SUPERVISOR_APP));
    }

    /**
     * status-projection: a Kafka Streams app ({@code jobline-status-projection}, exactly-once) reading commands,
     * events and logs and writing job-status, and the dead letters of records it cannot decode or apply;
     * read-your-writes reads its own group's committed offsets.
     */
    public static KafkaAccess statusProjection() {
        return new KafkaAccess(Names.STATUS_PROJECTION, List.of(Names.COMMANDS, Names.EVENTS, Names.LOGS),
                List.of(Names.JOB_STATUS, Names.DLQ), List.of(Names.PROJECTION_APP), List.of(Names.PROJECTION_APP + "-"),
                List.of(Names.PROJECTION_APP));
    }

    /** The statements for a cluster whose ARN is {@code clusterArn} (a token is fine). */
    public List<PolicyStatement> statements(String clusterArn) {
        Arns arns = new Arns(clusterArn);
        List<String> internalTopics = streamsApps.stream().map(app -> arns.topic(app + "-*")).toList();
        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(statement("Cluster", List.of(clusterArn), "kafka-cluster:Connect",
                "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"));
        statements.add(statement("DeclareTopics",
                concat(Names.TOPICS.stream().map(arns::topic).toList(), internalTopics),
                "kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"));
        statements.add(statement("Read", concat(readTopics.stream().map(arns::topic).toList(), internalTopics),
                "kafka-cluster:ReadData"));
        statements.add(statement("Write", concat(writeTopics.stream().map(arns::topic).toList(), internalTopics),
                "kafka-cluster:WriteData"));
        if (!internalTopics.isEmpty()) {
            statements.add(statement("StreamsInternalTopicConfigs", internalTopics,
                    "kafka-cluster:DescribeTopicDynamicConfiguration"));
        }
        if (!groups.isEmpty()) {
            statements.add(statement("Groups", groups.stream().map(arns::group).toList(),
                    "kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"));
        }
        if (!transactionalIdPrefixes.isEmpty()) {
            statements.add(statement("TransactionalIds",
                    transactionalIdPrefixes.stream().map(prefix -> arns.transactionalId(prefix + "*")).toList(),
                    "kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId"));
        }
        return statements;
    }

    private static PolicyStatement statement(String sid, List<String> resources, String... actions) {
        return PolicyStatement.Builder.create()
                .sid("Kafka" + sid)
                .effect(Effect.ALLOW)
                .actions(List.of(actions))
                .resources(resources)
                .build();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /**
     * MSK resource ARNs under a cluster: {@code arn:<partition>:kafka:<region>:<account>:<type>/<cluster name>/
     * <cluster uuid>/<name>}, where {@code <cluster name>/<cluster uuid>} is the end of the cluster's ARN.
     */
    static final class Arns {
        private final String clusterPath;

        Arns(String clusterArn) {
            this.clusterPath = Fn.select(1, Fn.split(":cluster/", clusterArn));
        }

        String topic(String name) {
            return arn("topic", name);
        }

        String group(String name) {
            return arn("group", name);
        }

        String transactionalId(String name) {
            return arn("transactional-id", name);
        }

        private String arn(String type, String name) {
            return "arn:" + Aws.PARTITION + ":kafka:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":" + type + "/"
                    + clusterPath + "/" + name;
        }
    }
}
