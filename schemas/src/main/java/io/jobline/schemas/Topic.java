package io.jobline.schemas;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A topic with the types of its keys and values: the one place where name and serdes meet. */
public record Topic<V>(String name, Serde<String> keySerde, Serde<V> valueSerde) {

    static <V> Topic<V> keyedByJobId(String name, Serde<V> valueSerde) {
        return new Topic<>(name, Serdes.String(), valueSerde);
    }
}
