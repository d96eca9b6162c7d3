package io.jobline.processor.poison;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

import io.jobline.schemas.JobCommand;
import io.jobline.schemas.Topics;

/**
 * Turns a raw record of {@code jobline.commands} into an applicable {@link JobCommand}. The intake and the cancel
 * watch read raw bytes and decode them here, so that a dead letter always carries the bytes exactly as they were, and
 * both agree on which records are poison.
 */
public final class CommandDecoder {

    private CommandDecoder() {
    }

    /** @throws UnusableRecordException when the record cannot be decoded or applied */
    public static JobCommand decode(ConsumerRecord<String, byte[]> record) {
        JobCommand command;
        try {
            command = Topics.COMMANDS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            throw new UnusableRecordException("cannot decode the command keyed " + record.key() + ": "
                    + e.getMessage(), e);
        }
        JobRecordCheck.requireApplicable(record.key(), command);
        return command;
    }
}
