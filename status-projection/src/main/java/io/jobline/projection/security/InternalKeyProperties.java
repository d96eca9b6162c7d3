package io.jobline.projection.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code jobline.security.*}: the shared key every caller of the query API (command-api, the other projection
 * instances) sends in {@value InternalKey#HEADER}.
 *
 * @param internalKey the key; set it with {@code JOBLINE_SECURITY_INTERNAL_KEY}. There is no default: the
 *                    projection does not start without one.
 */
@ConfigurationProperties("jobline.security")
public record InternalKeyProperties(String internalKey) {

    public InternalKeyProperties {
        if (internalKey == null || internalKey.isBlank()) {
            throw new IllegalArgumentException("jobline.security.internal-key is not set: give the projection the key"
                    + " its callers send in " + InternalKey.HEADER + " (environment variable JOBLINE_SECURITY_INTERNAL_KEY)");
        }
    }

    @Override
    public String toString() {
        return "InternalKeyProperties[internalKey=(hidden)]";
    }
}
