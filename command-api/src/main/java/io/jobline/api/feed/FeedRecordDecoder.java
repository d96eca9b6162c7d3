package io.jobline.api.feed;

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

    /** The record, or null for a tombstone or a value this version cannot decode (logged; streams skip it). */
    FeedRecord decode(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return null;
        }
        JobStatusView view;
        try {
            view = Topics.JOB_STATUS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            log.warn("skipping {}-{}@{} (job {}): {}", record.topic(), record.partition(), record.offset(),
                    record.key(), e.getMessage());
            return null;
        }
        return new FeedRecord(record.partition(), record.offset(), record.key(), view.getOwner(), view.getVersion(),
                view.getStatus().name(), json(JobViews.of(view)));
    }

    /** The public job JSON of a view. */
    String json(JobView view) {
        return json.writeValueAsString(view);
    }
}
