package io.jobline.processor.health;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import io.jobline.processor.ProcessorProperties;
import io.jobline.schemas.BrokerProbe;

@Configuration(proxyBeanMethods = false)
class HealthConfig {

    /** One admin client, with Boot's admin settings (bootstrap servers, security) and a client id of its own. */
    @Bean(destroyMethod = "close")
    BrokerProbe brokerProbe(KafkaAdmin kafkaAdmin, ProcessorProperties properties) {
        return new BrokerProbe(kafkaAdmin.getConfigurationProperties(), "jobline-job-processor-health",
                properties.brokerProbeTimeout());
    }
}
