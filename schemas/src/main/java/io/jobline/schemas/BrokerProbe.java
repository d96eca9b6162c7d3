package io.jobline.schemas;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Answers "can this service reach the Kafka cluster right now?" for readiness checks. Holds one admin client for
 * its lifetime, so a probe costs one metadata round trip, and never waits longer than its timeout.
 */
public final class BrokerProbe implements AutoCloseable {

    private static final Duration MIN_TIMEOUT = Duration.ofMillis(500);

    private final Admin admin;
    private final Duration timeout;

    /**
     * @param adminConfig the service's admin client settings (bootstrap servers, security)
     * @param clientId    names the probe's connections on the brokers
     * @param timeout     how long a probe may wait for the cluster
     */
    public BrokerProbe(Map<String, Object> adminConfig, String clientId, Duration timeout) {
        this.timeout = timeout.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : timeout;
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) this.timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) this.timeout.toMillis());
        // With the default "rebootstrap", an admin client facing a dead broker logs thousands of lines a second;
        // with "none" it still reconnects once a broker listens at the bootstrap address again.
        config.put(AdminClientConfig.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        this.admin = Admin.create(config);
    }

    /** The number of brokers that answered, or an exception saying why none did within the timeout. */
    public int brokersReachable() throws BrokerUnreachableException {
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
