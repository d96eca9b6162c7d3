package io.jobline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released schema version stays readable: the current schema can read it, and a record written
 * with it decodes through the serde that consumers use.
 */
class ReleasedSchemasCompatibilityTest {

    private static final Map<String, AvroSerde<? extends SpecificRecord>> CURRENT = Map.of(
            "JobCommand", (AvroSerde<JobCommand>) Topics.COMMANDS.valueSerde(),
            "JobEvent", (AvroSerde<JobEvent>) Topics.EVENTS.valueSerde(),
            "JobStatusView", (AvroSerde<JobStatusView>) Topics.JOB_STATUS.valueSerde(),
            "JobLogChunk", (AvroSerde<JobLogChunk>) Topics.LOGS.valueSerde());

    static Stream<Arguments> releasedSchemas() {
        return CURRENT.keySet().stream().flatMap(name -> ReleasedSchemas.byVersion(name).entrySet().stream()
                .map(released -> Arguments.of(name, released.getKey(), released.getValue())));
    }

    @Test
    void everyTopicValueHasAReleasedVersion() {
        assertThat(ReleasedSchemas.versions()).startsWith("v1");
        CURRENT.keySet().forEach(name -> assertThat(ReleasedSchemas.byVersion(name)).as(name).isNotEmpty());
    }

    /** A schema change is released with it: otherwise the next change could break what this one wrote. */
    @Test
    void theCurrentSchemaIsTheLatestRelease() {
        String latest = ReleasedSchemas.versions().get(ReleasedSchemas.versions().size() - 1);
        CURRENT.keySet().forEach(name -> assertThat(ReleasedSchemas.byVersion(name).get(latest))
                .as("%s in released/%s", name, latest).isEqualTo(currentSchema(name)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("releasedSchemas")
    void currentSchemaReadsReleasedVersion(String name, String version, Schema released) {
        Schema current = currentSchema(name);
        var result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        assertThat(result.getType())
                .as("%s %s: %s", name, version, result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("releasedSchemas")
    void recordWrittenWithReleasedVersionDecodes(String name, String version, Schema released) {
        for (int variant = 0; variant < SampleRecords.variantsOf(released); variant++) {
            GenericRecord sample = SampleRecords.sample(released, variant);
            byte[] bytes = encode(released, sample);

            SpecificRecord decoded = CURRENT.get(name).deserialize("test", bytes);

            assertThat(decoded).as("%s %s variant %d", name, version, variant).isNotNull();
            assertThat(decoded.getSchema().getName()).isEqualTo(name);
            assertThat(String.valueOf(decoded.get(decoded.getSchema().getField("jobId").pos())))
                    .isEqualTo(String.valueOf(sample.get("jobId")));
        }
    }

    @Test
    void aFieldWithoutDefaultWouldBreakTheReleasedVersion() {
        Schema released = ReleasedSchemas.byVersion("JobStatusView").get("v1");
        String broken = released.toString().replaceFirst(
                "\"fields\":\\[", "\"fields\":[{\"name\":\"mandatoryNewField\",\"type\":\"string\"},");
        var result = SchemaCompatibility.checkReaderWriterCompatibility(new Schema.Parser().parse(broken), released);
        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static Schema currentSchema(String name) {
        return switch (name) {
            case "JobCommand" -> JobCommand.getClassSchema();
            case "JobEvent" -> JobEvent.getClassSchema();
            case "JobStatusView" -> JobStatusView.getClassSchema();
            case "JobLogChunk" -> JobLogChunk.getClassSchema();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static byte[] encode(Schema writer, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
