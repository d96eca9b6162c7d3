package io.jobline.projection;

/** The internal key the tests give the projection, and send as its callers do. */
public final class InternalKeys {

    public static final String KEY = "test-internal-key-7f3a";
    /** As a Spring property ({@code @SpringBootTest(properties = ...)}). */
    public static final String PROPERTY = "jobline.security.internal-key=" + KEY;
    /** As a command-line argument. */
    public static final String ARGUMENT = "--" + PROPERTY;

    private InternalKeys() {
    }
}
