package io.jobline.processor.poison;

/**
 * A record that cannot be decoded or applied, however often it is tried: the intake dead-letters it at once, the
 * supervisor's processing handler dead-letters it, the cancel watch skips it.
 */
public class UnusableRecordException extends RuntimeException {

    public UnusableRecordException(String message) {
        super(message);
    }

    public UnusableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
