package io.jobline.processor.health;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import io.jobline.schemas.BrokerProbe;

@Configuration(proxyBeanMethods = false)
class HealthConfig {

    /** One admin client, with Boot's admin settings (bootstrap servers, security) and a client id of its own. */
    @Bean(destroyMethod = "close")
    BrokerProbe brokerProbe(KafkaAdmin kafkaAdmin) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        Object clientId = config.get(AdminClientConfig.CLIENT_ID_CONFIG);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, (clientId == null ? "jobline-job-processor" : clientId) + "-health");
        return new BrokerProbe(config);
    }
}
