package io.jobline.api.feed;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.jobline.api.view.JobView;
import io.jobline.schemas.JobStatusView;
import io.jobline.schemas.Topics;
import tools.jackson.databind.json.JsonMapper;

/** Turns raw records of {@code jobline.job-status} into {@link FeedRecord}s; thread-safe. */
@Component
class FeedRecordDecoder {

    private static final Logger log = LoggerFactory.getLogger(FeedRecordDecoder.class);

    private final JsonMapper json;

    FeedRecordDecoder(JsonMapper json) {
        this.json = json;
    }

    /** The record, or null for a tombstone or a record this version cannot decode (logged; streams skip it). */
    FeedRecord decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return decodeOrThrow(record);
        } catch (RuntimeException e) {
            log.warn("skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return null;
        }
    }

    /**
     * The record, or null for a tombstone (a job removed by compaction); a record that is not a job view under a
     * job id (no key, a key that is not UTF-8, a value this version cannot decode) throws.
     */
    FeedRecord decodeOrThrow(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            throw new SerializationException("a record of " + record.topic() + " without a key");
        }
        String jobId = utf8(record.key());
        if (record.value() == null) {
            return null;
        }
        JobStatusView view = Topics.JOB_STATUS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        return new FeedRecord(record.partition(), record.offset(), jobId, view.getOwner(), view.getVersion(),
                view.getStatus().name(), json(JobViews.of(view)));
    }

    private static String utf8(byte[] key) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SerializationException("a key that is not UTF-8", e);
        }
    }

    /** The public job JSON of a view. */
    String json(JobView view) {
        return json.writeValueAsString(view);
    }
}
