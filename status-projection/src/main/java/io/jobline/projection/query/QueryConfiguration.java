package io.jobline.projection.query;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import io.jobline.projection.ProjectionProperties;
import io.jobline.projection.idempotency.IdempotencyWatches;
import io.jobline.projection.security.InternalKey;
import io.jobline.projection.security.InternalKeyProperties;
import io.jobline.projection.topology.FoldedOffsets;
import io.jobline.projection.watch.JobWatches;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Wiring of the query side: the admin client (read-your-writes, partition count), where partitions live,
 * the store reads, the long-polls and waiting idempotency lookups, the client for the other instances.
 */
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
     * on the loop of the request that asked for it. Its own connection pool: every long-poll forwarded to the
     * instance that folds the job holds a connection while it waits. Every call carries the internal key.
     */
    @Bean
    PeerClient peerClient(ObjectProvider<CodecCustomizer> codecCustomizers,
            ObjectProvider<ReactorResourceFactory> reactorResources, ProjectionProperties properties,
            InternalKeyProperties internalKey) {
        WebClient.Builder builder = WebClient.builder()
                .defaultHeader(InternalKey.HEADER, internalKey.internalKey())
                .codecs(codecs -> codecCustomizers.orderedStream().forEach(customizer -> customizer.customize(codecs)));
        ConnectionProvider connections = ConnectionProvider.builder("projection-peers")
                .maxConnections(properties.peerMaxConnections())
                .pendingAcquireTimeout(properties.peerTimeout())
                .build();
        HttpClient httpClient = HttpClient.create(connections);
        ReactorResourceFactory resources = reactorResources.getIfAvailable();
        if (resources != null) {
            httpClient = httpClient.runOn(resources.getLoopResources());
        }
        builder.clientConnector(new ReactorClientHttpConnector(httpClient));
        return new PeerClient(builder.build(), properties.readYourWritesTimeout().plus(properties.peerTimeout()),
                properties.peerTimeout(), connections);
    }

    @Bean
    Placement placement(StreamsBuilderFactoryBean streams, KafkaStreamsInteractiveQueryService interactiveQueries,
            Admin readYourWritesAdmin, ProjectionProperties properties) {
        return new Placement(streams, interactiveQueries, readYourWritesAdmin, properties.peerTimeout());
    }

    @Bean
    ProjectionStores projectionStores(Placement placement) {
        return new ProjectionStores(placement);
    }

    /** The long-polls of this instance; the fold tells it about every view it stores (see StreamsConfiguration). */
    @Bean
    JobWatches jobWatches() {
        return new JobWatches();
    }

    @Bean
    JobQueryService jobQueryService(Placement placement, ProjectionStores stores, ReadYourWrites readYourWrites,
            PeerClient peerClient, JobWatches watches, ProjectionProperties properties) {
        return new JobQueryService(placement, stores, readYourWrites, peerClient, watches, unavailableRetry(properties));
    }

    /** The lookups of idempotency keys waiting on this instance; the fold tells it about every key it stores. */
    @Bean
    IdempotencyWatches idempotencyWatches() {
        return new IdempotencyWatches();
    }

    @Bean
    IdempotencyQueryService idempotencyQueryService(Placement placement, ProjectionStores stores,
            ReadYourWrites readYourWrites, PeerClient peerClient, IdempotencyWatches watches,
            ProjectionProperties properties) {
        return new IdempotencyQueryService(placement, stores, readYourWrites, peerClient, watches,
                unavailableRetry(properties));
    }

    private static UnavailableRetry unavailableRetry(ProjectionProperties properties) {
        return new UnavailableRetry(properties.retryWithin(), properties.retryFirstBackoff(), properties.retryMaxBackoff());
    }
}
