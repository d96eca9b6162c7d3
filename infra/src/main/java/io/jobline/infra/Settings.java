package io.jobline.infra;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import software.constructs.Node;

/**
 * Everything that differs between deployments, read from CDK context. A value is looked up as a flat context key
 * ({@code -c processorMaxCount=8}), then in the environment's block ({@code "jobline:prod": {...}} in cdk.json),
 * then taken from the built-in defaults of the environment ({@link #defaults(String)}).
 *
 * @param env                  {@code dev} or {@code prod}: names every stack and resource, and picks the defaults
 * @param account              AWS account the stacks deploy to
 * @param region               AWS region the stacks deploy to (a concrete one: ALB access logs need it)
 * @param kafkaMode            MSK provisioned or MSK Serverless
 * @param kafkaVersion         Apache Kafka version of a provisioned cluster
 * @param maxAzs               availability zones of the VPC (2 or 3); the provisioned brokers spread over all of them
 * @param natGateways          NAT gateways (1 for dev, one per AZ for prod)
 * @param brokerInstanceType   MSK broker instance type
 * @param brokersPerAz         brokers in each AZ (the broker count is a multiple of the AZ count)
 * @param brokerStorageGiB     initial EBS volume of each broker
 * @param brokerStorageMaxGiB  upper bound of storage autoscaling
 * @param monitoringLevel      MSK enhanced monitoring level
 * @param topicPartitions      partitions of every Jobline topic (JOBLINE_TOPICS_PARTITIONS)
 * @param topicReplicationFactor replication factor of every Jobline topic (3 on MSK)
 * @param commandsRetentionMs  retention of jobline.commands (-1: forever)
 * @param eventsRetentionMs    retention of jobline.events (-1: forever)
 * @param logsRetentionMs      retention of jobline.logs
 * @param dlqRetentionMs       retention of jobline.dlq
 * @param logRetentionDays     retention of the CloudWatch log groups (services, brokers, flow logs)
 * @param accessLogRetentionDays retention of the ALB access logs in S3
 * @param imageRepositoryPrefix ECR repositories are {@code <prefix>/command-api} etc.
 * @param imageTag             image tag the three services run
 * @param apiCpu               command-api task CPU units
 * @param apiMemoryMiB         command-api task memory
 * @param apiMinCount          command-api minimum tasks
 * @param apiMaxCount          command-api maximum tasks
 * @param apiCpuTarget         command-api target CPU utilization (%)
 * @param apiRequestsPerTarget command-api target requests per task per minute
 * @param processorCpu         job-processor task CPU units
 * @param processorMemoryMiB   job-processor task memory
 * @param processorMinCount    job-processor minimum tasks
 * @param processorMaxCount    job-processor maximum tasks (at most topicPartitions: more would sit idle)
 * @param processorConcurrentJobs jobs one processor runs at once
 * @param processorEphemeralGiB job-processor ephemeral storage (job working directories)
 * @param projectionCpu        status-projection task CPU units
 * @param projectionMemoryMiB  status-projection task memory
 * @param projectionCount      status-projection tasks
 * @param projectionEphemeralGiB status-projection ephemeral storage (its RocksDB state stores)
 * @param projectionStandbyReplicas Kafka Streams standby replicas of the projection's stores
 * @param certificateArn       ACM certificate of the HTTPS listener; blank: plain HTTP on port 80
 * @param apiAllowedCidr       who may reach the load balancer
 * @param alarmEmail           subscribed to the alarm topic when not blank
 * @param jwtIssuerUri         issuer of the bearer tokens the API accepts, kept in the token-settings secret
 * @param jwtAudience          audience the tokens must be for (Cognito: the app client id); blank: not checked
 * @param processorLagAlarm    job-processor consumer lag (commands) that alarms
 * @param projectionLagAlarm   status-projection consumer lag (events) that alarms
 * @param failedJobsAlarmPercent share of failed jobs (of finished ones, 15 minutes) that alarms
 * @param alb5xxAlarm          5xx answers (load balancer and targets, 5 minutes) that alarm
 */
public record Settings(
        String env, String account, String region,
        KafkaMode kafkaMode, String kafkaVersion, int maxAzs, int natGateways,
        String brokerInstanceType, int brokersPerAz, int brokerStorageGiB, int brokerStorageMaxGiB,
        String monitoringLevel,
        int topicPartitions, int topicReplicationFactor,
        long commandsRetentionMs, long eventsRetentionMs, long logsRetentionMs, long dlqRetentionMs,
        int logRetentionDays, int accessLogRetentionDays,
        String imageRepositoryPrefix, String imageTag,
        int apiCpu, int apiMemoryMiB, int apiMinCount, int apiMaxCount, int apiCpuTarget, int apiRequestsPerTarget,
        int processorCpu, int processorMemoryMiB, int processorMinCount, int processorMaxCount,
        int processorConcurrentJobs, int processorEphemeralGiB,
        int projectionCpu, int projectionMemoryMiB, int projectionCount, int projectionEphemeralGiB,
        int projectionStandbyReplicas,
        String certificateArn, String apiAllowedCidr, String alarmEmail, String jwtIssuerUri,
        String jwtAudience, int processorLagAlarm, int projectionLagAlarm, int failedJobsAlarmPercent, int alb5xxAlarm) {

    public enum KafkaMode { PROVISIONED, SERVERLESS }

    public static final String EXAMPLE_ACCOUNT = "123456789012";
    public static final String EXAMPLE_REGION = "eu-west-1";
    private static final long DAY_MS = 24L * 3600 * 1000;

    public Settings {
        require(env.matches("[a-z][a-z0-9-]{0,15}"), "env must be a short lower-case name, got " + env);
        require(maxAzs == 2 || maxAzs == 3, "maxAzs must be 2 or 3 (MSK spreads brokers over 2 or 3 subnets), got " + maxAzs);
        require(natGateways >= 1 && natGateways <= maxAzs, "natGateways must be 1.." + maxAzs + ", got " + natGateways);
        require(brokersPerAz >= 1, "brokersPerAz must be at least 1");
        require(kafkaMode == KafkaMode.SERVERLESS || maxAzs * brokersPerAz >= topicReplicationFactor,
                "a replication factor of " + topicReplicationFactor + " needs at least as many brokers, got "
                        + maxAzs + " AZs x " + brokersPerAz);
        require(kafkaMode == KafkaMode.PROVISIONED || topicReplicationFactor == 3,
                "MSK Serverless replicates every topic 3 times: topicReplicationFactor must be 3");
        require(brokerStorageMaxGiB >= brokerStorageGiB, "brokerStorageMaxGiB must be at least brokerStorageGiB");
        require(topicPartitions >= 1, "topicPartitions must be at least 1");
        require(processorMinCount >= 1 && processorMaxCount >= processorMinCount, "processor counts: 1 <= min <= max");
        require(processorMaxCount <= topicPartitions, "processorMaxCount (" + processorMaxCount
                + ") above topicPartitions (" + topicPartitions + "): the extra processors would get no partition");
        require(apiMinCount >= 1 && apiMaxCount >= apiMinCount, "command-api counts: 1 <= min <= max");
        require(projectionCount >= 1 && projectionCount <= topicPartitions, "projectionCount must be 1..topicPartitions");
        require(projectionStandbyReplicas >= 0
                && (projectionStandbyReplicas == 0 || projectionStandbyReplicas < projectionCount),
                "projectionStandbyReplicas must be below projectionCount (a standby lives on another instance)");
        require(processorEphemeralGiB >= 21 && processorEphemeralGiB <= 200 && projectionEphemeralGiB >= 21
                && projectionEphemeralGiB <= 200, "Fargate ephemeral storage is 21..200 GiB");
        for (long retention : new long[] {commandsRetentionMs, eventsRetentionMs, logsRetentionMs, dlqRetentionMs}) {
            require(retention == -1 || retention > 0, "a topic retention is -1 (forever) or positive, got " + retention);
        }
        require(!region.isBlank() && !region.contains("${"), "region must be a concrete region (ALB access logs need it)");
    }

    public boolean production() {
        return env.equals("prod");
    }

    public boolean https() {
        return certificateArn != null && !certificateArn.isBlank();
    }

    /** The name of the MSK cluster, which the consumer-lag metrics carry as their "Cluster Name" dimension. */
    public String clusterName() {
        return "jobline-" + env;
    }

    /** The prefix of every stack of this environment, e.g. {@code Jobline-dev}. */
    public String stackPrefix() {
        return "Jobline-" + env;
    }

    /** Built-in defaults of an environment: {@code prod} is sized for production, anything else like {@code dev}. */
    public static Map<String, Object> defaults(String env) {
        Map<String, Object> d = new LinkedHashMap<>();
        boolean prod = env.equals("prod");
        d.put("account", EXAMPLE_ACCOUNT);
        d.put("region", EXAMPLE_REGION);
        d.put("kafkaMode", "provisioned");
        d.put("kafkaVersion", "3.8.x");
        d.put("maxAzs", 3);
        d.put("natGateways", prod ? 3 : 1);
        d.put("brokerInstanceType", prod ? "kafka.m7g.large" : "kafka.t3.small");
        d.put("brokersPerAz", 1);
        d.put("brokerStorageGiB", prod ? 500 : 50);
        d.put("brokerStorageMaxGiB", prod ? 4000 : 200);
        d.put("monitoringLevel", prod ? "PER_TOPIC_PER_PARTITION" : "PER_BROKER");
        d.put("topicPartitions", prod ? 12 : 6);
        d.put("topicReplicationFactor", 3);
        d.put("commandsRetentionMs", -1L);
        d.put("eventsRetentionMs", -1L);
        d.put("logsRetentionMs", 7 * DAY_MS);
        d.put("dlqRetentionMs", 30 * DAY_MS);
        d.put("logRetentionDays", prod ? 90 : 14);
        d.put("accessLogRetentionDays", prod ? 365 : 30);
        d.put("imageRepositoryPrefix", "jobline");
        d.put("imageTag", "0.1.0");
        d.put("apiCpu", prod ? 1024 : 512);
        d.put("apiMemoryMiB", prod ? 2048 : 1024);
        d.put("apiMinCount", prod ? 2 : 1);
        d.put("apiMaxCount", prod ? 10 : 3);
        d.put("apiCpuTarget", 60);
        d.put("apiRequestsPerTarget", 3000);
        d.put("processorCpu", prod ? 2048 : 1024);
        d.put("processorMemoryMiB", prod ? 8192 : 3072);
        d.put("processorMinCount", prod ? 2 : 1);
        d.put("processorMaxCount", prod ? 12 : 4);
        d.put("processorConcurrentJobs", prod ? 4 : 2);
        d.put("processorEphemeralGiB", prod ? 100 : 30);
        d.put("projectionCpu", prod ? 1024 : 512);
        d.put("projectionMemoryMiB", prod ? 4096 : 2048);
        d.put("projectionCount", prod ? 2 : 1);
        d.put("projectionEphemeralGiB", prod ? 100 : 30);
        d.put("projectionStandbyReplicas", prod ? 1 : 0);
        d.put("certificateArn", "");
        d.put("apiAllowedCidr", "0.0.0.0/0");
        d.put("alarmEmail", "");
        d.put("jwtIssuerUri", "");
        d.put("jwtAudience", "");
        d.put("processorLagAlarm", prod ? 200 : 50);
        d.put("projectionLagAlarm", prod ? 5000 : 1000);
        d.put("failedJobsAlarmPercent", prod ? 20 : 50);
        d.put("alb5xxAlarm", prod ? 25 : 10);
        return d;
    }

    /** Reads the settings from a construct's context (the app's, normally). */
    public static Settings fromContext(Node node) {
        return from(node::tryGetContext);
    }

    /**
     * Reads the settings through a context lookup: {@code env} (default {@code dev}), then every other key as
     * described on the class.
     */
    @SuppressWarnings("unchecked")
    public static Settings from(Function<String, Object> context) {
        String env = Objects.toString(orElse(context.apply("env"), "dev")).trim().toLowerCase(Locale.ROOT);
        Map<String, Object> values = new LinkedHashMap<>(defaults(env));
        Object block = context.apply("jobline:" + env);
        if (block instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((key, value) -> {
                require(values.containsKey(key), "unknown setting " + key + " in jobline:" + env);
                values.put(key, value);
            });
        }
        for (String key : values.keySet()) {
            Object value = context.apply(key);
            if (value != null) {
                values.put(key, value);
            }
        }
        Reader r = new Reader(values);
        return new Settings(env, r.str("account"), r.str("region"),
                KafkaMode.valueOf(r.str("kafkaMode").toUpperCase(Locale.ROOT)), r.str("kafkaVersion"),
                r.integer("maxAzs"), r.integer("natGateways"),
                r.str("brokerInstanceType"), r.integer("brokersPerAz"), r.integer("brokerStorageGiB"),
                r.integer("brokerStorageMaxGiB"), r.str("monitoringLevel"),
                r.integer("topicPartitions"), r.integer("topicReplicationFactor"),
                r.longValue("commandsRetentionMs"), r.longValue("eventsRetentionMs"), r.longValue("logsRetentionMs"),
                r.longValue("dlqRetentionMs"), r.integer("logRetentionDays"), r.integer("accessLogRetentionDays"),
                r.str("imageRepositoryPrefix"), r.str("imageTag"),
                r.integer("apiCpu"), r.integer("apiMemoryMiB"), r.integer("apiMinCount"), r.integer("apiMaxCount"),
                r.integer("apiCpuTarget"), r.integer("apiRequestsPerTarget"),
                r.integer("processorCpu"), r.integer("processorMemoryMiB"), r.integer("processorMinCount"),
                r.integer("processorMaxCount"), r.integer("processorConcurrentJobs"),
                r.integer("processorEphemeralGiB"),
                r.integer("projectionCpu"), r.integer("projectionMemoryMiB"), r.integer("projectionCount"),
                r.integer("projectionEphemeralGiB"), r.integer("projectionStandbyReplicas"),
                r.str("certificateArn"), r.str("apiAllowedCidr"), r.str("alarmEmail"), r.str("jwtIssuerUri"),
                r.str("jwtAudience"), r.integer("processorLagAlarm"), r.integer("projectionLagAlarm"), r.integer("failedJobsAlarmPercent"),
                r.integer("alb5xxAlarm"));
    }

    private static Object orElse(Object value, Object fallback) {
        return value == null ? fallback : value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private record Reader(Map<String, Object> values) {
        String str(String key) {
            return Objects.toString(values.get(key), "").trim();
        }

        int integer(String key) {
            return Math.toIntExact(longValue(key));
        }

        long longValue(String key) {
            Object value = values.get(key);
            if (value instanceof Number number) {
                return number.longValue();
            }
            try {
                return Long.parseLong(str(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + key + " must be a whole number, got " + value, e);
            }
        }
    }
}
