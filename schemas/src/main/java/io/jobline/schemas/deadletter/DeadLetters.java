package io.jobline.schemas.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.jobline.schemas.Topics;

/**
 * Records of {@code jobline.dlq}: a record some consumer could not decode or apply, with its original key, value and
 * headers, and headers saying where it came from, who gave up on it and why. Every value is a UTF-8 string, so the
 * console tools show them as they are.
 */
public final class DeadLetters {

    public static final String SOURCE_TOPIC = "jobline.dlq.source-topic";
    public static final String SOURCE_PARTITION = "jobline.dlq.source-partition";
    public static final String SOURCE_OFFSET = "jobline.dlq.source-offset";
    public static final String REASON = "jobline.dlq.reason";
    public static final String CONSUMER = "jobline.dlq.consumer";
    public static final String FAILED_AT = "jobline.dlq.failed-at";

    static final int MAX_REASON_LENGTH = 1000;

    private DeadLetters() {
    }

    /** The dead letter of a record that {@code consumer} could not decode or apply. */
    public static ProducerRecord<byte[], byte[]> record(String consumer, String topic, int partition, long offset,
            byte[] key, byte[] value, Headers originalHeaders, Throwable reason) {
        Headers headers = new RecordHeaders();
        if (originalHeaders != null) {
            for (Header header : originalHeaders) {
                headers.add(header);
            }
        }
        addHeaders(headers, consumer, topic, partition, offset, reason);
        return new ProducerRecord<>(Topics.DLQ.name(), null, key, value, headers);
    }

    /** Adds the dead-letter headers (replacing any that were there, say from an earlier trip through the queue). */
    public static void addHeaders(Headers target, String consumer, String topic, int partition, long offset,
            Throwable reason) {
        put(target, SOURCE_TOPIC, topic);
        put(target, SOURCE_PARTITION, Integer.toString(partition));
        put(target, SOURCE_OFFSET, Long.toString(offset));
        put(target, REASON, reason(reason));
        put(target, CONSUMER, consumer);
        put(target, FAILED_AT, Instant.now().toString());
    }

    /** The reason text: the innermost cause's class and message, no stack trace, bounded. */
    public static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root == failure ? describe(failure) : describe(failure) + " (caused by " + describe(root) + ")";
        return text.length() <= MAX_REASON_LENGTH ? text : text.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }

    /** A header's value as text, or null when the record has no such header. */
    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
    }
}
