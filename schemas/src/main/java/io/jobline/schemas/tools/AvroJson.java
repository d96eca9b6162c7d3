package io.jobline.schemas.tools;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Renders decoded Avro values as JSON the way a person reads them: records as objects with every field,
 * timestamps as ISO-8601 strings in UTC with milliseconds, enums as their symbol, maps with sorted keys, bytes as
 * base64, and union values as the branch they hold (no Avro JSON-encoding wrappers).
 */
final class AvroJson {

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private AvroJson() {
    }

    /** What a record of a Jobline topic is: the name of the record it carries, and that record. */
    record Typed(String type, IndexedRecord value) {
    }

    /**
     * Unwraps a topic's record: a wrapper whose payload is a union of records (a {@code JobCommand} holding a
     * {@code JobSubmitted}, a {@code JobEvent} holding a {@code JobStarted}) is shown as the branch it holds;
     * any other record (a {@code JobStatusView}, a {@code JobLogChunk}) as itself.
     */
    static Typed typed(IndexedRecord record) {
        for (Schema.Field field : record.getSchema().getFields()) {
            if (isUnionOfRecords(field.schema()) && record.get(field.pos()) instanceof IndexedRecord branch) {
                return new Typed(branch.getSchema().getName(), branch);
            }
        }
        return new Typed(record.getSchema().getName(), record);
    }

    static void write(JsonWriter json, Object value) {
        if (value == null) {
            json.nullValue();
        } else if (value instanceof IndexedRecord record) {
            json.beginObject();
            for (Schema.Field field : record.getSchema().getFields()) {
                json.name(field.name());
                write(json, record.get(field.pos()));
            }
            json.endObject();
        } else if (value instanceof Instant instant) {
            json.string(timestamp(instant));
        } else if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof GenericEnumSymbol<?>
                || value instanceof TemporalAccessor || value instanceof java.util.UUID) {
            // LocalDate and the other java.time types print as ISO-8601
            json.string(value.toString());
        } else if (value instanceof Boolean bool) {
            json.bool(bool);
        } else if (value instanceof Float || value instanceof Double) {
            json.number(((Number) value).doubleValue());
        } else if (value instanceof BigDecimal decimal) {
            json.number(decimal);
        } else if (value instanceof Number number) {
            json.number(number.longValue());
        } else if (value instanceof Map<?, ?> map) {
            json.beginObject();
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            sorted.forEach((k, v) -> {
                json.name(k);
                write(json, v);
            });
            json.endObject();
        } else if (value instanceof Collection<?> items) {
            json.beginArray();
            items.forEach(item -> write(json, item));
            json.endArray();
        } else if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            json.string(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof GenericFixed fixed) {
            json.string(Base64.getEncoder().encodeToString(fixed.bytes()));
        } else if (value instanceof byte[] bytes) {
            json.string(Base64.getEncoder().encodeToString(bytes));
        } else {
            json.string(value.toString());
        }
    }

    /**
     * An instant as ISO-8601 in UTC, always with milliseconds ({@code 2026-11-29T08:39:01.000Z}, where
     * {@code Instant.toString()} gives {@code 2026-11-29T08:39:01Z}), so that timestamps sort as text.
     */
    static String timestamp(Instant instant) {
        return MILLIS.format(instant);
    }

    private static boolean isUnionOfRecords(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().allMatch(branch -> branch.getType() == Schema.Type.RECORD);
    }
}
