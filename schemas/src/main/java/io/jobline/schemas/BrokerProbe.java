package io.jobline.schemas;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Answers "can this service reach the Kafka cluster right now?" for readiness checks. Holds one
 * admin client for its lifetime, so a probe costs one metadata round trip.
 */
public final class BrokerProbe implements AutoCloseable {

    private final Admin admin;

    public BrokerProbe(Map<String, Object> adminConfig) {
        Map<String, Object> config = new HashMap<>(adminConfig);
        // With the default "rebootstrap", an admin client facing a dead broker logs thousands of lines a second.
        config.putIfAbsent(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        this.admin = Admin.create(config);
    }

    /** The number of brokers that answered, or an exception saying why none did within the timeout. */
    public int brokersReachable(Duration timeout) throws BrokerUnreachableException {
        var options = new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
        try {
            return admin.describeCluster(options).nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnreachableException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerUnreachableException("no answer from the Kafka cluster within " + timeout, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }

    public static final class BrokerUnreachableException extends Exception {
        public BrokerUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
