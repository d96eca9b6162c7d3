package io.jobline.processor;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;

import io.jobline.schemas.TopicSettings;
import io.jobline.schemas.Topics;

/** Kafka settings shared by the consumer and the producer side: the topics. */
@Configuration(proxyBeanMethods = false)
class KafkaSetup {

    /** Boot's {@code KafkaAdmin} creates the topics that do not exist yet (it never changes existing ones). */
    @Bean
    KafkaAdmin.NewTopics joblineTopics(Environment environment) {
        TopicSettings settings = Binder.get(environment).bindOrCreate("jobline.topics", TopicSettings.class);
        return new KafkaAdmin.NewTopics(Topics.definitions(settings).toArray(NewTopic[]::new));
    }
}
