package io.jobline.api.security;

import java.util.Set;

/**
 * Who is calling: the owner its jobs belong to and its roles, from an API key or a JWT. Controllers take it as a
 * {@code @AuthenticationPrincipal} parameter.
 *
 * @param owner the owner written into the jobs it submits, and whose jobs it sees
 * @param roles its roles; {@value #ADMIN} sees and acts on every job
 */
public record Caller(String owner, Set<String> roles) {

    public static final String ADMIN = "admin";
    public static final String USER = "user";

    public Caller {
        if (!Owners.isValid(owner)) {
            throw new IllegalArgumentException("not a valid owner: " + owner);
        }
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    /** Whether a job of {@code jobOwner} is visible to this caller (as if it did not exist otherwise). */
    public boolean sees(String jobOwner) {
        return isAdmin() || owner.equals(jobOwner);
    }
}
