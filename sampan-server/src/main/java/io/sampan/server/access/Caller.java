package io.sampan.server.access;

/**
 * Who is making a request: a user, or nobody authenticated. Platform admins manage clusters,
 * organisations and users, and may do everything.
 */
public record Caller(String userId, String name, boolean admin) {
    public static final Caller ANONYMOUS = new Caller(null, "anonymous", false);

    public boolean authenticated() {
        return userId != null;
    }
}
