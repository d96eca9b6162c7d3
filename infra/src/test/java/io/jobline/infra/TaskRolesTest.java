package io.jobline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Template;

/**
 * Each task role carries exactly the MSK actions its service needs, on its own topics, groups and transactional
 * ids of this cluster: the whole grant table of each role is compared with the expected one, so a new action or
 * resource fails here until it is expected on purpose.
 */
class TaskRolesTest {

    private static final Set<String> TOPICS = Set.of("topic/jobline.commands", "topic/jobline.events",
            "topic/jobline.job-status", "topic/jobline.logs", "topic/jobline.dlq");
    private static final Pattern MSK_ARN = Pattern.compile(
            "^arn:<AWS::Partition>:kafka:<AWS::Region>:<AWS::AccountId>:(topic|group|transactional-id)/<Select>/(.+)$");

    private static Synth.Result dev;
    private static Template services;
    private static Map<String, Map<String, Object>> resources;

    @BeforeAll
    static void synth() {
        dev = Synth.of(Synth.Variant.DEV);
        services = dev.template(dev.stacks().services());
        resources = dev.resources(dev.stacks().services());
    }

    @Test
    void commandApiWritesCommandsAndDeadLettersAndReadsJobStatusOnly() {
        assertThat(grants("CommandApi")).isEqualTo(table(
                "kafka-cluster:Connect", Set.of("cluster"),
                "kafka-cluster:DescribeCluster", Set.of("cluster"),
                "kafka-cluster:WriteDataIdempotently", Set.of("cluster"),
                "kafka-cluster:CreateTopic", TOPICS,
                "kafka-cluster:DescribeTopic", TOPICS,
                "kafka-cluster:ReadData", Set.of("topic/jobline.job-status"),
                "kafka-cluster:WriteData", Set.of("topic/jobline.commands", "topic/jobline.dlq")));
    }

    @Test
    void jobProcessorConsumesCommandsAndWritesEventsLogsDeadLettersAndRetriesInTransactions() {
        String internal = "topic/jobline-job-processor-supervisor-*";
        assertThat(grants("JobProcessor")).isEqualTo(table(
                "kafka-cluster:Connect", Set.of("cluster"),
                "kafka-cluster:DescribeCluster", Set.of("cluster"),
                "kafka-cluster:WriteDataIdempotently", Set.of("cluster"),
                "kafka-cluster:CreateTopic", plus(TOPICS, internal),
                "kafka-cluster:DescribeTopic", plus(TOPICS, internal),
                "kafka-cluster:DescribeTopicDynamicConfiguration", Set.of(internal),
                "kafka-cluster:ReadData", Set.of("topic/jobline.commands", "topic/jobline.events", internal),
                "kafka-cluster:WriteData", Set.of("topic/jobline.events", "topic/jobline.logs", "topic/jobline.dlq",
                        "topic/jobline.commands", internal),
                "kafka-cluster:DescribeGroup", Set.of("group/jobline-job-processor",
                        "group/jobline-job-processor-supervisor"),
                "kafka-cluster:AlterGroup", Set.of("group/jobline-job-processor",
                        "group/jobline-job-processor-supervisor"),
                "kafka-cluster:DescribeTransactionalId", Set.of("transactional-id/jobline-job-processor-*"),
                "kafka-cluster:AlterTransactionalId", Set.of("transactional-id/jobline-job-processor-*")));
    }

    @Test
    void statusProjectionReadsCommandsEventsLogsAndWritesJobStatusExactlyOnceAndDeadLetters() {
        String internal = "topic/jobline-status-projection-*";
        assertThat(grants("StatusProjection")).isEqualTo(table(
                "kafka-cluster:Connect", Set.of("cluster"),
                "kafka-cluster:DescribeCluster", Set.of("cluster"),
                "kafka-cluster:WriteDataIdempotently", Set.of("cluster"),
                "kafka-cluster:CreateTopic", plus(TOPICS, internal),
                "kafka-cluster:DescribeTopic", plus(TOPICS, internal),
                "kafka-cluster:DescribeTopicDynamicConfiguration", Set.of(internal),
                "kafka-cluster:ReadData", Set.of("topic/jobline.commands", "topic/jobline.events", "topic/jobline.logs",
                        internal),
                "kafka-cluster:WriteData", Set.of("topic/jobline.job-status", "topic/jobline.dlq", internal),
                "kafka-cluster:DescribeGroup", Set.of("group/jobline-status-projection"),
                "kafka-cluster:AlterGroup", Set.of("group/jobline-status-projection"),
                "kafka-cluster:DescribeTransactionalId", Set.of("transactional-id/jobline-status-projection-*"),
                "kafka-cluster:AlterTransactionalId", Set.of("transactional-id/jobline-status-projection-*")));
    }

    @Test
    void everyArnIsUnderThisClustersPath() {
        for (String service : new String[] {"CommandApi", "JobProcessor", "StatusProjection"}) {
            String role = role(service);
            for (Object statement : statements(role)) {
                for (Object resource : Json.list(Json.map(statement).get("Resource"))) {
                    // topic/group/transactional-id ARNs are built from the cluster ARN the Kafka stack exports
                    String text = resource.toString();
                    assertThat(text).contains("Jobline-dev-Kafka:ExportsOutputFnGetAttClusterArn");
                }
            }
        }
    }

    private static Map<String, Set<String>> grants(String service) {
        Map<String, Set<String>> table = new TreeMap<>();
        for (Object statement : statements(role(service))) {
            Map<String, Object> s = Json.map(statement);
            assertThat(s.get("Effect")).isEqualTo("Allow");
            for (String action : Json.strings(s.get("Action"))) {
                for (Object resource : Json.list(s.get("Resource"))) {
                    table.computeIfAbsent(action, a -> new TreeSet<>()).add(shorten(Json.render(resource)));
                }
            }
        }
        return table;
    }

    private static java.util.List<Object> statements(String roleId) {
        return Json.ofType(resources, "AWS::IAM::Policy").values().stream().map(Json::props)
                .filter(p -> Json.list(p.get("Roles")).contains(Map.of("Ref", roleId)))
                .flatMap(p -> Json.list(Json.at(p, "PolicyDocument.Statement")).stream())
                .toList();
    }

    private static String role(String service) {
        return resources.keySet().stream()
                .filter(id -> id.startsWith(service + "TaskRole") && "AWS::IAM::Role".equals(resources.get(id).get("Type")))
                .findFirst().orElseThrow();
    }

    private static String shorten(String arn) {
        if (arn.equals("<Import>")) {
            return "cluster";
        }
        Matcher m = MSK_ARN.matcher(arn);
        assertThat(m.matches()).as("an MSK ARN under the cluster's path: " + arn).isTrue();
        return m.group(1) + "/" + m.group(2);
    }

    private static Set<String> plus(Set<String> set, String more) {
        Set<String> out = new TreeSet<>(set);
        out.add(more);
        return out;
    }

    private static Map<String, Set<String>> table(Object... entries) {
        Map<String, Set<String>> table = new TreeMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            @SuppressWarnings("unchecked")
            Set<String> resources = (Set<String>) entries[i + 1];
            table.put((String) entries[i], new TreeSet<>(resources));
        }
        return table;
    }
}
