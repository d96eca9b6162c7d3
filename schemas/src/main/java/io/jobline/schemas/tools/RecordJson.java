package io.jobline.schemas.tools;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jobline.schemas.Topic;
import io.jobline.schemas.Topics;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One record of a Jobline topic as one line of JSON:
 * <pre>{"topic":"jobline.events","partition":3,"offset":42,"timestamp":"2026-11-29T08:38:56.438Z",
 *  "key":"01a22675-...","type":"JobStarted","value":{"jobId":"01a22675-...","attempt":1,...}}</pre>
 * The value is decoded by the topic's serde from {@link Topics}, and {@code type} names the record it holds (the
 * command or event, for the union topics). A tombstone has {@code "type":null,"value":null}. The values of
 * {@code jobline.dlq} and of topics that are not Jobline's are not decoded: {@code value} is null and
 * {@code valueBase64} holds the bytes; so it does, with an {@code error}, for a value that cannot be decoded.
 * With headers on, {@code headers} (after {@code key}) is an object of the headers' values as text, or
 * {@code {"base64": "..."}} for binary values (spring-kafka's numeric {@code kafka_dlt-*} headers as numbers).
 */
public final class RecordJson {

    private static final Map<String, Deserializer<? extends IndexedRecord>> DECODERS = Map.of(
            Topics.COMMANDS.name(), decoder(Topics.COMMANDS),
            Topics.EVENTS.name(), decoder(Topics.EVENTS),
            Topics.JOB_STATUS.name(), decoder(Topics.JOB_STATUS),
            Topics.LOGS.name(), decoder(Topics.LOGS));

    private final boolean headers;

    /** @param headers whether lines carry the records' headers */
    public RecordJson(boolean headers) {
        this.headers = headers;
    }

    public String render(ConsumerRecord<byte[], byte[]> record) {
        var json = new JsonWriter(new StringBuilder(256));
        json.beginObject();
        json.name("topic").string(record.topic());
        json.name("partition").number(record.partition());
        json.name("offset").number(record.offset());
        long timestamp = record.timestamp();
        json.name("timestamp").string(timestamp < 0 ? null : AvroJson.timestamp(Instant.ofEpochMilli(timestamp)));
        json.name("key");
        bytes(json, record.key());
        if (headers) {
            json.name("headers");
            headers(json, record.headers());
        }
        value(json, record.topic(), record.value());
        return json.endObject().toString();
    }

    private static void value(JsonWriter json, String topic, byte[] value) {
        Deserializer<? extends IndexedRecord> decoder = DECODERS.get(topic);
        if (value == null || decoder == null) {
            json.name("type").nullValue();
            json.name("value").nullValue();
            if (value != null) {
                json.name("valueBase64").string(Base64.getEncoder().encodeToString(value));
            }
            return;
        }
        AvroJson.Typed typed;
        try {
            typed = AvroJson.typed(decoder.deserialize(topic, value));
        } catch (RuntimeException e) {
            json.name("type").nullValue();
            json.name("value").nullValue();
            json.name("valueBase64").string(Base64.getEncoder().encodeToString(value));
            json.name("error").string(e.getMessage());
            return;
        }
        json.name("type").string(typed.type());
        json.name("value");
        AvroJson.write(json, typed.value());
    }

    private static void headers(JsonWriter json, Iterable<Header> headers) {
        Map<String, List<Header>> byKey = new LinkedHashMap<>();
        headers.forEach(header -> byKey.computeIfAbsent(header.key(), k -> new ArrayList<>()).add(header));
        json.beginObject();
        byKey.forEach((key, values) -> {
            json.name(key);
            if (values.size() == 1) {
                header(json, values.get(0));
            } else {
                json.beginArray();
                values.forEach(header -> header(json, header));
                json.endArray();
            }
        });
        json.endObject();
    }

    private static void header(JsonWriter json, Header header) {
        byte[] value = header.value();
        String key = header.key();
        // spring-kafka's dead-letter publisher writes these as big-endian numbers
        if (value != null && key.startsWith("kafka_dlt-")) {
            if (value.length == Integer.BYTES && key.endsWith("-partition")) {
                json.number(ByteBuffer.wrap(value).getInt());
                return;
            }
            if (value.length == Long.BYTES && (key.endsWith("-offset") || key.endsWith("-timestamp"))) {
                json.number(ByteBuffer.wrap(value).getLong());
                return;
            }
        }
        bytes(json, value);
    }

    /** Text as a string; anything that is not printable UTF-8 as {@code {"base64": "..."}}. */
    private static void bytes(JsonWriter json, byte[] bytes) {
        if (bytes == null) {
            json.nullValue();
            return;
        }
        String text = printable(bytes);
        if (text != null) {
            json.string(text);
        } else {
            json.beginObject().name("base64").string(Base64.getEncoder().encodeToString(bytes)).endObject();
        }
    }

    private static String printable(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        boolean control = text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f);
        return control ? null : text;
    }

    private static <V extends IndexedRecord> Deserializer<V> decoder(Topic<V> topic) {
        return topic.valueSerde().deserializer();
    }
}
