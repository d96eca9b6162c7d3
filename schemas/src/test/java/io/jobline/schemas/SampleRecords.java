package io.jobline.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Builds a sample record for any schema, filling every field, so that a record written with an old
 * schema version can be produced without its generated class. Variant {@code n} picks the n-th branch
 * of every union (the last branch where a union has fewer), so all union branches get written.
 */
final class SampleRecords {

    private SampleRecords() {
    }

    static int variantsOf(Schema schema) {
        return widestUnion(schema, new ArrayList<>());
    }

    static GenericData.Record sample(Schema schema, int variant) {
        return (GenericData.Record) value(schema, variant);
    }

    private static Object value(Schema schema, int variant) {
        return switch (schema.getType()) {
            case RECORD -> {
                var record = new GenericData.Record(schema);
                schema.getFields().forEach(f -> record.put(f.name(), value(f.schema(), variant)));
                yield record;
            }
            case UNION -> {
                List<Schema> branches = schema.getTypes();
                yield value(branches.get(Math.min(variant, branches.size() - 1)), variant);
            }
            case ENUM -> new GenericData.EnumSymbol(schema,
                    schema.getEnumSymbols().get(variant % schema.getEnumSymbols().size()));
            case MAP -> Map.of("key" + variant, "value");
            case ARRAY -> List.of(value(schema.getElementType(), variant));
            case STRING -> "sample-" + variant;
            case INT -> 1 + variant;
            case LONG -> 1_764_000_000_000L + variant;
            case BOOLEAN -> variant % 2 == 0;
            case FLOAT -> 1.5f;
            case DOUBLE -> 2.5d;
            case BYTES -> java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3});
            case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
            case NULL -> null;
        };
    }

    private static int widestUnion(Schema schema, List<String> seen) {
        return switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    yield 1;
                }
                seen.add(schema.getFullName());
                yield schema.getFields().stream().mapToInt(f -> widestUnion(f.schema(), seen)).max().orElse(1);
            }
            case UNION -> Math.max(schema.getTypes().size(),
                    schema.getTypes().stream().mapToInt(s -> widestUnion(s, seen)).max().orElse(1));
            case MAP -> widestUnion(schema.getValueType(), seen);
            case ARRAY -> widestUnion(schema.getElementType(), seen);
            default -> 1;
        };
    }
}
