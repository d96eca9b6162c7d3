package io.jobline.projection.query;

import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.jobline.projection.ProjectionProperties;
import io.jobline.projection.topology.FoldedOffsets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Wiring of the query side: the admin client for read-your-writes, the client for the other instances. */
@Configuration(proxyBeanMethods = false)
public class QueryConfiguration {

    /** One long-lived admin client, with the same connection and security settings as Boot's {@link KafkaAdmin}. */
    @Bean(destroyMethod = "close")
    Admin readYourWritesAdmin(KafkaAdmin kafkaAdmin) {
        return Admin.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    ReadYourWrites readYourWrites(Admin readYourWritesAdmin, FoldedOffsets offsets, StreamsBuilderFactoryBean streams,
            ProjectionProperties properties, ObjectProvider<MeterRegistry> meters) {
        String applicationId = streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        return new ReadYourWrites(readYourWritesAdmin, offsets, applicationId, properties.readYourWritesTimeout(),
                properties.committedOffsetsCheckInterval(), meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /**
     * A WebClient for calls to the other projection instances, with the application's codecs (its JSON mapper)
     * and, as Boot would set it up, the event loops of the HTTP server, so that a forwarded answer comes back
     * on the loop of the request that asked for it.
     */
    @Bean
    PeerClient peerClient(ObjectProvider<CodecCustomizer> codecCustomizers,
            ObjectProvider<ReactorResourceFactory> reactorResources, ProjectionProperties properties) {
        WebClient.Builder builder = WebClient.builder()
                .codecs(codecs -> codecCustomizers.orderedStream().forEach(customizer -> customizer.customize(codecs)));
        ReactorResourceFactory resources = reactorResources.getIfAvailable();
        if (resources != null) {
            builder.clientConnector(new ReactorClientHttpConnector(resources, Function.identity()));
        }
        WebClient webClient = builder.build();
        return new PeerClient(webClient, properties.readYourWritesTimeout().plus(properties.peerTimeout()),
                properties.peerTimeout());
    }

    @Bean
    JobQueryService jobQueryService(ProjectionStores stores, ReadYourWrites readYourWrites, PeerClient peerClient) {
        return new JobQueryService(stores, readYourWrites, peerClient);
    }
}
