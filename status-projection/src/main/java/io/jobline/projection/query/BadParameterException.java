package io.jobline.projection.query;

/** A query parameter that is not acceptable: 400, naming it in {@code field}. */
public class BadParameterException extends RuntimeException {

    private final String field;

    public BadParameterException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
