package io.jobline.processor.supervisor;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.Topics;

/**
 * Commands and events of each partition, merged, feed the {@link Supervisor}; what it writes goes to
 * {@code jobline.events} (lost attempts) or {@code jobline.commands} (automatic retries). Both input topics are keyed
 * by job id with the same partition count, so one task sees everything about its jobs. Records that cannot be decoded
 * or applied go to {@code jobline.dlq} through the app's exception handlers ({@code StreamsDeadLetterHandler}).
 */
public final class SupervisorTopology {

    public static final String STORE = "supervised-jobs";

    private SupervisorTopology() {
    }

    public static KStream<String, Object> build(StreamsBuilder builder, SupervisorProperties properties) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                new SupervisedJobSerde()));
        KStream<String, Object> commands = builder
                .stream(Topics.COMMANDS.name(), Consumed.with(Serdes.String(), Topics.COMMANDS.valueSerde())
                        .withName("commands"))
                .mapValues(command -> (Object) command, Named.as("commands-as-input"));
        KStream<String, Object> events = builder
                .stream(Topics.EVENTS.name(), Consumed.with(Serdes.String(), Topics.EVENTS.valueSerde())
                        .withName("events"))
                .mapValues(event -> (Object) event, Named.as("events-as-input"));
        KStream<String, Object> decisions = commands.merge(events, Named.as("inputs"))
                .process(() -> new Supervisor(properties, STORE), Named.as("supervisor"), STORE);
        decisions.filter((jobId, value) -> value instanceof JobEvent, Named.as("lost-attempts"))
                .mapValues(value -> (JobEvent) value)
                .to(Topics.EVENTS.name(), Produced.with(Serdes.String(), Topics.EVENTS.valueSerde()));
        decisions.filter((jobId, value) -> value instanceof JobCommand, Named.as("automatic-retries"))
                .mapValues(value -> (JobCommand) value)
                .to(Topics.COMMANDS.name(), Produced.with(Serdes.String(), Topics.COMMANDS.valueSerde()));
        return decisions;
    }
}
