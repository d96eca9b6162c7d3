package io.jobline.processor.supervisor;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import tools.jackson.databind.json.JsonMapper;

/** The supervisor's state as JSON: it is internal to this service, so it needs no published schema. */
final class SupervisedJobSerde implements Serde<SupervisedJob> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Serializer<SupervisedJob> serializer() {
        return (topic, job) -> job == null ? null : JSON.writeValueAsBytes(job);
    }

    @Override
    public Deserializer<SupervisedJob> deserializer() {
        return (topic, bytes) -> bytes == null ? null : JSON.readValue(bytes, SupervisedJob.class);
    }
}
