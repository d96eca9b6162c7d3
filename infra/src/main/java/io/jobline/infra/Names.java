package io.jobline.infra;

import java.util.List;

import software.amazon.awscdk.services.logs.RetentionDays;

/** The names the services and the infrastructure must agree on, and small helpers. */
public final class Names {

    public static final String COMMAND_API = "command-api";
    public static final String JOB_PROCESSOR = "job-processor";
    public static final String STATUS_PROJECTION = "status-projection";

    public static final int API_PORT = 8080;
    public static final int PROJECTION_PORT = 8081;
    public static final int PROCESSOR_PORT = 8082;
    /** MSK's port for TLS + IAM (SASL) clients, provisioned and serverless. */
    public static final int MSK_IAM_PORT = 9098;

    public static final String COMMANDS = "jobline.commands";
    public static final String EVENTS = "jobline.events";
    public static final String JOB_STATUS = "jobline.job-status";
    public static final String LOGS = "jobline.logs";
    public static final String DLQ = "jobline.dlq";
    /** Every topic each service declares (and so creates when missing) at start-up. */
    public static final List<String> TOPICS = List.of(COMMANDS, EVENTS, JOB_STATUS, LOGS, DLQ);

    /** job-processor's consumer group (the intake), also the prefix of its transactional ids. */
    public static final String PROCESSOR_GROUP = "jobline-job-processor";
    /** job-processor's supervisor: a Kafka Streams application id (group, internal topics, transactional ids). */
    public static final String SUPERVISOR_APP = "jobline-job-processor-supervisor";
    /** status-projection's Kafka Streams application id. */
    public static final String PROJECTION_APP = "jobline-status-projection";

    public static final String READINESS_PATH = "/actuator/health/readiness";
    public static final String LIVENESS_PATH = "/actuator/health/liveness";

    private Names() {
    }

    /** The CloudWatch Logs retention closest to (not below) the given number of days. */
    public static RetentionDays retention(int days) {
        RetentionDays best = RetentionDays.INFINITE;
        int bestDays = Integer.MAX_VALUE;
        for (RetentionDays candidate : RetentionDays.values()) {
            int candidateDays = days(candidate);
            if (candidateDays >= days && candidateDays < bestDays) {
                best = candidate;
                bestDays = candidateDays;
            }
        }
        return best;
    }

    private static int days(RetentionDays retention) {
        return switch (retention) {
            case ONE_DAY -> 1;
            case THREE_DAYS -> 3;
            case FIVE_DAYS -> 5;
            case ONE_WEEK -> 7;
            case TWO_WEEKS -> 14;
            case ONE_MONTH -> 30;
            case TWO_MONTHS -> 60;
            case THREE_MONTHS -> 90;
            case FOUR_MONTHS -> 120;
            case FIVE_MONTHS -> 150;
            case SIX_MONTHS -> 180;
            case ONE_YEAR -> 365;
            case THIRTEEN_MONTHS -> 400;
            case EIGHTEEN_MONTHS -> 545;
            case TWO_YEARS -> 731;
            case THREE_YEARS -> 1096;
            case FIVE_YEARS -> 1827;
            case SIX_YEARS -> 2192;
            case SEVEN_YEARS -> 2557;
            case EIGHT_YEARS -> 2922;
            case NINE_YEARS -> 3288;
            case TEN_YEARS -> 3653;
            default -> Integer.MAX_VALUE;
        };
    }
}
