package io.jobline.api.problem;

/** One violated rule of a request: the field as a dotted path ({@code workflow}, {@code parameters.foo}, {@code body}) and why. */
public record FieldError(String field, String message) {
}
