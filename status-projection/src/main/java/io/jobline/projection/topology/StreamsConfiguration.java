package io.jobline.projection.topology;

import java.util.Properties;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;

import io.jobline.projection.ProjectionProperties;
import io.jobline.projection.fold.JobFold;
import io.jobline.projection.idempotency.IdempotencyListener;
import io.jobline.projection.logs.LogRetention;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.TopicSettings;
import io.jobline.schemas.Topics;

/**
 * Kafka Streams through spring-kafka: Boot builds the streams configuration from {@code spring.kafka.streams.*}
 * (see {@code status-projection.yml}); this class adds the topics, the topology and the bits Boot cannot know.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
public class StreamsConfiguration {

    /**
     * Streams starts after the web server (phase {@code MAX-2048}), so the port to advertise is known, and
     * stops after the graceful shutdown of the web server ({@code MAX-1024}) has let running requests finish.
     */
    public static final int STREAMS_PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

    private static final Logger log = LoggerFactory.getLogger(StreamsConfiguration.class);

    /** {@code jobline.topics.*}, as every service binds it. */
    @Bean
    TopicSettings topicSettings(Environment environment) {
        return Binder.get(environment).bindOrCreate("jobline.topics", TopicSettings.class);
    }

    /** The source topics must exist before Streams starts: Boot's {@link KafkaAdmin} creates these at start-up. */
    @Bean
    KafkaAdmin.NewTopics joblineTopics(TopicSettings topicSettings) {
        return new KafkaAdmin.NewTopics(Topics.definitions(topicSettings).toArray(NewTopic[]::new));
    }

    @Bean
    JobFold jobFold() {
        return new JobFold();
    }

    @Bean
    FoldedOffsets foldedOffsets() {
        return new FoldedOffsets(Topics.COMMANDS.name());
    }

    @Bean
    KStream<String, JobStatusView> projection(StreamsBuilder builder, JobFold fold, FoldedOffsets offsets,
            TopicSettings topicSettings, ProjectionProperties properties, ViewListener viewListener,
            IdempotencyListener keyListener) {
        LogRetention logRetention = new LogRetention(topicSettings.logsRetentionMs(), properties.logExpiryInterval());
        return ProjectionTopology.build(builder, fold, offsets, logRetention, viewListener, keyListener,
                properties.idempotencyPurgeInterval());
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer projectionStreamsPhase() {
        return factoryBean -> factoryBean.setPhase(STREAMS_PHASE);
    }

    /** Interactive queries through spring-kafka; without retries, since callers must not block. */
    @Bean
    KafkaStreamsInteractiveQueryService interactiveQueryService(StreamsBuilderFactoryBean factoryBean) {
        KafkaStreamsInteractiveQueryService service = new KafkaStreamsInteractiveQueryService(factoryBean);
        service.setRetryTemplate(new RetryTemplate(RetryPolicy.withMaxRetries(0)));
        return service;
    }

    @Bean
    AdvertisedServer advertisedServer(StreamsBuilderFactoryBean factoryBean, ProjectionProperties properties) {
        return new AdvertisedServer(factoryBean, properties);
    }

    /**
     * Sets {@code application.server} to the address of this instance's HTTP API once the server has bound
     * its port, so it is right with {@code server.port=0} too. Streams starts after the web server.
     */
    static final class AdvertisedServer implements ApplicationListener<WebServerInitializedEvent> {

        private final StreamsBuilderFactoryBean factoryBean;
        private final ProjectionProperties properties;

        AdvertisedServer(StreamsBuilderFactoryBean factoryBean, ProjectionProperties properties) {
            this.factoryBean = factoryBean;
            this.properties = properties;
        }

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            String namespace = event.getApplicationContext().getServerNamespace();
            if (namespace != null && !namespace.isEmpty()) {
                return; // e.g. a separate management server: not the query API
            }
            int port = properties.advertisedPort() > 0 ? properties.advertisedPort() : event.getWebServer().getPort();
            String server = properties.advertisedHost() + ":" + port;
            if (factoryBean.isRunning()) {
                log.warn("Kafka Streams already runs; cannot advertise {} as application.server", server);
                return;
            }
            Properties config = factoryBean.getStreamsConfiguration();
            config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server);
            factoryBean.setStreamsConfiguration(config);
            log.info("advertising the query API of this instance as {}", server);
        }
    }
}
