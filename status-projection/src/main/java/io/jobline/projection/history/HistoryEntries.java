package io.jobline.projection.history;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

import io.jobline.schemas.JobCancelRequested;
import io.jobline.schemas.JobCancelled;
import io.jobline.schemas.JobCommand;
import io.jobline.schemas.JobCompleted;
import io.jobline.schemas.JobEvent;
import io.jobline.schemas.JobFailed;
import io.jobline.schemas.JobHeartbeat;
import io.jobline.schemas.JobProgress;
import io.jobline.schemas.JobRetryRequested;
import io.jobline.schemas.JobStarted;
import io.jobline.schemas.JobSubmitted;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a command or event as a history entry, the JSON that {@code GET /internal/jobs/{id}/history}
 * serves: {@code seq}, where the record was read ({@code topic}, {@code partition}, {@code offset}, record
 * {@code timestamp}), its {@code type}, {@code attempt}, who asked or acted ({@code by}), when ({@code at}),
 * and every field of the command or event itself as {@code record} (times as ISO-8601 text). Rendered once,
 * when the record is applied, and stored as text.
 */
public final class HistoryEntries {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HistoryEntries() {
    }

    public static String render(long seq, String topic, int partition, long offset, long timestamp, Object commandOrEvent) {
        Object payload = unwrap(commandOrEvent);
        ObjectNode entry = NODES.objectNode();
        entry.put("seq", seq);
        entry.put("topic", topic);
        entry.put("partition", partition);
        entry.put("offset", offset);
        entry.put("timestamp", Instant.ofEpochMilli(timestamp).toString());
        entry.put("type", payload.getClass().getSimpleName());
        entry.set("attempt", toJson(attempt(payload)));
        entry.put("by", by(payload));
        entry.set("at", toJson(at(payload)));
        entry.set("record", toJson(payload));
        return JSON.writeValueAsString(entry);
    }

    /** A stored entry as JSON. */
    public static JsonNode parse(String stored) {
        return JSON.readTree(stored);
    }

    private static Object unwrap(Object record) {
        if (record instanceof JobCommand command) {
            return command.getCommand();
        }
        if (record instanceof JobEvent event) {
            return event.getEvent();
        }
        return record;
    }

    /** The attempt a record is about, when it names one (events and retries do, submissions and cancels not). */
    private static Object attempt(Object payload) {
        if (payload instanceof IndexedRecord record) {
            Schema.Field field = record.getSchema().getField("attempt");
            return field == null ? null : record.get(field.pos());
        }
        return null;
    }

    /** Who asked (commands, the cancellation) or who acted (the worker that started or runs the attempt). */
    private static String by(Object payload) {
        CharSequence by = null;
        if (payload instanceof JobSubmitted submitted) {
            by = submitted.getOwner();
        } else if (payload instanceof JobCancelRequested cancel) {
            by = cancel.getRequestedBy();
        } else if (payload instanceof JobRetryRequested retry) {
            by = retry.getRequestedBy();
        } else if (payload instanceof JobStarted started) {
            by = started.getWorker();
        } else if (payload instanceof JobHeartbeat heartbeat) {
            by = heartbeat.getWorker();
        } else if (payload instanceof JobCancelled cancelled) {
            by = cancelled.getRequestedBy();
        }
        return by == null ? null : by.toString();
    }

    /** When it was asked for or happened, as its writer says. */
    private static Instant at(Object payload) {
        if (payload instanceof JobSubmitted submitted) {
            return submitted.getSubmittedAt();
        } else if (payload instanceof JobCancelRequested cancel) {
            return cancel.getRequestedAt();
        } else if (payload instanceof JobRetryRequested retry) {
            return retry.getRequestedAt();
        } else if (payload instanceof JobStarted started) {
            return started.getStartedAt();
        } else if (payload instanceof JobProgress progress) {
            return progress.getAt();
        } else if (payload instanceof JobHeartbeat heartbeat) {
            return heartbeat.getAt();
        } else if (payload instanceof JobCompleted completed) {
            return completed.getFinishedAt();
        } else if (payload instanceof JobFailed failed) {
            return failed.getFinishedAt();
        } else if (payload instanceof JobCancelled cancelled) {
            return cancelled.getCancelledAt();
        }
        return null;
    }

    /** Any Avro value as JSON: records by their fields in schema order, a union by the branch it holds. */
    static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof IndexedRecord record) {
            ObjectNode node = NODES.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                node.set(field.name(), toJson(record.get(field.pos())));
            }
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
                    .forEach(e -> node.set(e.getKey().toString(), toJson(e.getValue())));
            return node;
        }
        if (value instanceof Collection<?> collection) {
            ArrayNode node = NODES.arrayNode();
            collection.forEach(item -> node.add(toJson(item)));
            return node;
        }
        if (value instanceof CharSequence || value instanceof Instant || value instanceof Enum<?>
                || value instanceof GenericEnumSymbol<?>) {
            return NODES.textNode(value.toString());
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof ByteBuffer bytes) {
            ByteBuffer copy = bytes.duplicate();
            byte[] array = new byte[copy.remaining()];
            copy.get(array);
            return NODES.textNode(Base64.getEncoder().encodeToString(array));
        }
        return NODES.textNode(value.toString());
    }
}
