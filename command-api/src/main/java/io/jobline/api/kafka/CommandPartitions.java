package io.jobline.api.kafka;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.PartitionInfo;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import io.jobline.api.ApiProperties;
import io.jobline.api.problem.ApiProblemException;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.Topics;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The number of partitions of {@code jobline.commands} as the command producer sees it (the count its partitioner
 * uses), asked once and then kept: changing it would move every job's records to other partitions, which no part of
 * Jobline allows while running. The first question may wait for metadata, so it runs off the event loop; 503 when
 * Kafka does not answer within {@code jobline.api.kafka-ack-timeout}.
 */
@Component
public class CommandPartitions {

    private final KafkaTemplate<String, JobCommand> template;
    private final ApiProperties properties;
    private volatile int known;

    public CommandPartitions(KafkaTemplate<String, JobCommand> template, ApiProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    public Mono<Integer> count() {
        int count = known;
        if (count > 0) {
            return Mono.just(count);
        }
        Duration timeout = properties.kafkaAckTimeout();
        return Mono.fromCallable(() -> {
                    List<PartitionInfo> partitions = template.partitionsFor(Topics.COMMANDS.name());
                    if (partitions == null || partitions.isEmpty()) {
                        throw new IllegalStateException("no partitions of " + Topics.COMMANDS.name() + " known");
                    }
                    known = partitions.size();
                    return known;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout)
                .onErrorMap(error -> !(error instanceof ApiProblemException), error -> ApiProblemException.unavailable(
                        "The job could not be recorded: Kafka is unavailable. Retry later.", properties.retryAfter(),
                        error));
    }
}
