package io.jobline.projection.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The store's value format: {@code {"jobId":..., "fingerprint":..., "acceptedAt":<epoch millis>}} as UTF-8 JSON,
 * so that an entry is readable in the changelog topic too.
 */
public final class IdempotencyEntrySerde implements Serde<IdempotencyEntry> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Serializer<IdempotencyEntry> serializer() {
        return (topic, entry) -> {
            if (entry == null) {
                return null;
            }
            ObjectNode node = JSON.createObjectNode();
            node.put("jobId", entry.jobId());
            node.put("fingerprint", entry.fingerprint());
            node.put("acceptedAt", entry.acceptedAt().toEpochMilli());
            return JSON.writeValueAsBytes(node);
        };
    }

    @Override
    public Deserializer<IdempotencyEntry> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            JsonNode node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            JsonNode fingerprint = node.get("fingerprint");
            return new IdempotencyEntry(node.get("jobId").asString(),
                    fingerprint == null || fingerprint.isNull() ? null : fingerprint.asString(),
                    Instant.ofEpochMilli(node.get("acceptedAt").asLong()));
        };
    }
}
