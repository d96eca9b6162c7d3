package io.jobline.schemas.tools;

import static io.jobline.schemas.tools.JobRecords.JOB;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import io.jobline.schemas.Topic;
import io.jobline.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    private static final long AT = JobRecords.SUBMITTED.toEpochMilli();
    private static final String HEAD = "{\"topic\":\"%s\",\"partition\":2,\"offset\":7,"
            + "\"timestamp\":\"2026-11-29T08:38:55.861Z\",\"key\":\"" + JOB + "\",";

    private final RecordJson json = new RecordJson(false);

    @Test
    void showsACommandAsTheBranchItHolds() {
        assertThat(json.render(record(Topics.COMMANDS, JobRecords.submitted())))
                .isEqualTo(head(Topics.COMMANDS) + JobRecords.SUBMITTED_JSON + "}");
    }

    @Test
    void showsEveryKindOfEventWithTimestampsAsIsoStrings() {
        assertThat(json.render(record(Topics.EVENTS, JobRecords.started())))
                .isEqualTo(head(Topics.EVENTS) + JobRecords.STARTED_JSON + "}");
        assertThat(json.render(record(Topics.EVENTS, JobRecords.completed())))
                .isEqualTo(head(Topics.EVENTS) + JobRecords.COMPLETED_JSON + "}");
        assertThat(json.render(record(Topics.EVENTS, JobRecords.failed())))
                .isEqualTo(head(Topics.EVENTS) + JobRecords.FAILED_JSON + "}");
    }

    @Test
    void showsStatusViewsAndLogChunksWhole() {
        assertThat(json.render(record(Topics.JOB_STATUS, JobRecords.view())))
                .isEqualTo(head(Topics.JOB_STATUS) + JobRecords.VIEW_JSON + "}");
        assertThat(json.render(record(Topics.LOGS, JobRecords.logs())))
                .isEqualTo(head(Topics.LOGS) + JobRecords.LOGS_JSON + "}");
    }

    @Test
    void showsATombstoneAsNullValue() {
        var tombstone = new ConsumerRecord<>(Topics.JOB_STATUS.name(), 2, 7, AT, TimestampType.CREATE_TIME, 0, 0,
                bytes(JOB), (byte[]) null, new RecordHeaders(), Optional.empty());
        assertThat(json.render(tombstone)).isEqualTo(head(Topics.JOB_STATUS) + "\"type\":null,\"value\":null}");
    }

    @Test
    void showsDeadLettersAsBase64WithTheirHeaders() {
        byte[] value = {(byte) 0xC3, 0x01, 0, 1, 2};
        var headers = new RecordHeaders()
                .add("kafka_dlt-original-topic", bytes("jobline.commands"))
                .add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(3).array())
                .add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(12).array())
                .add("kafka_dlt-exception-message", bytes("cannot decode \"x\""))
                .add("trace", new byte[] {0, (byte) 0xff})
                .add("tag", bytes("a"))
                .add("tag", bytes("b"));
        var dead = new ConsumerRecord<>(Topics.DLQ.name(), 2, 7, AT, TimestampType.CREATE_TIME, 0, 0,
                bytes(JOB), value, headers, Optional.empty());

        assertThat(new RecordJson(true).render(dead)).isEqualTo(head(Topics.DLQ)
                + "\"headers\":{\"kafka_dlt-original-topic\":\"jobline.commands\",\"kafka_dlt-original-partition\":3,"
                + "\"kafka_dlt-original-offset\":12,\"kafka_dlt-exception-message\":\"cannot decode \\\"x\\\"\","
                + "\"trace\":{\"base64\":\"AP8=\"},\"tag\":[\"a\",\"b\"]},"
                + "\"type\":null,\"value\":null,\"valueBase64\":\"wwEAAQI=\"}");
        assertThat(json.render(dead)).doesNotContain("headers");
    }

    @Test
    void showsAValueItCannotDecodeAsBase64WithTheReason() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        var record = new ConsumerRecord<>(Topics.EVENTS.name(), 2, 7, AT, TimestampType.CREATE_TIME, 0, 0,
                bytes(JOB), garbage, new RecordHeaders(), Optional.empty());

        assertThat(json.render(record))
                .startsWith(head(Topics.EVENTS) + "\"type\":null,\"value\":null,\"valueBase64\":\""
                        + Base64.getEncoder().encodeToString(garbage) + "\",\"error\":\"cannot decode a JobEvent from jobline.events: ");
    }

    @Test
    void showsABinaryKeyAsBase64AndAnyOtherTopicRaw() {
        var record = new ConsumerRecord<>("other", 0, 0, -1, TimestampType.NO_TIMESTAMP_TYPE, 0, 0,
                new byte[] {1, 2}, bytes("{\"a\":1}"), new RecordHeaders(), Optional.empty());

        assertThat(json.render(record)).isEqualTo("{\"topic\":\"other\",\"partition\":0,\"offset\":0,\"timestamp\":null,"
                + "\"key\":{\"base64\":\"AQI=\"},\"type\":null,\"value\":null,\"valueBase64\":\"eyJhIjoxfQ==\"}");
    }

    private static String head(Topic<?> topic) {
        return HEAD.formatted(topic.name());
    }

    private static <V> ConsumerRecord<byte[], byte[]> record(Topic<V> topic, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return new ConsumerRecord<>(topic.name(), 2, 7, AT, TimestampType.CREATE_TIME, 0, bytes.length,
                bytes(JOB), Arrays.copyOf(bytes, bytes.length), new RecordHeaders(), Optional.empty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
