package io.jobline.processor.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Properties;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * The supervisor runs as a Kafka Streams app inside the processor (Boot builds it from {@code spring.kafka.streams.*}):
 * its tasks spread over the processor instances like the intake's partitions, and when an instance dies, its tasks,
 * with their state, move to the others, which then notice that instance's jobs went quiet.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
public class SupervisorConfiguration {

    @Bean
    KStream<String, Object> supervisor(StreamsBuilder builder, SupervisorProperties properties) {
        return SupervisorTopology.build(builder, properties);
    }

    /**
     * The state lives in memory and in its changelog topic; the state directory only holds Streams' bookkeeping, so
     * each instance takes a fresh one and no two instances on a host share one.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer supervisorStateDirectory() {
        return factoryBean -> {
            Properties config = factoryBean.getStreamsConfiguration();
            config.put(StreamsConfig.STATE_DIR_CONFIG, temporaryStateDirectory());
            factoryBean.setStreamsConfiguration(config);
        };
    }

    private static String temporaryStateDirectory() {
        try {
            var directory = Files.createTempDirectory("jobline-supervisor-");
            directory.toFile().deleteOnExit();
            return directory.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the supervisor's state directory", e);
        }
    }
}
