package io.jobline.processor.pipeline;

/** A job that its pipeline refuses to run as asked (bad parameters, ...): it fails with kind {@code CANNOT_START}. */
public class CannotStartException extends Exception {

    public CannotStartException(String reason) {
        super(reason);
    }
}
