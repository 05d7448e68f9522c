package dev.parley.web.session;

import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * One signed-in browser: the secret id its {@code __Host-parley} cookie carries, the user, and the CSRF token
 * (synchronizer token pattern, OWASP CSRF Prevention Cheat Sheet) that state-changing requests must echo in
 * {@code X-CSRF-Token}. {@link #toString()} shows neither secret.
 */
public final class Session {
    private final String id;
    private final UserId user;
    private final String csrfToken;
    private final Instant created;
    private volatile Instant lastSeen;

    Session(String id, UserId user, String csrfToken, Instant created) {
        this.id = Objects.requireNonNull(id, "id");
        this.user = Objects.requireNonNull(user, "user");
        this.csrfToken = Objects.requireNonNull(csrfToken, "csrfToken");
        this.created = created;
        this.lastSeen = created;
    }

    /** The cookie value; a secret. */
    public String id() {
        return id;
    }

    public UserId user() {
        return user;
    }

    /** The CSRF token; a secret shown only to the signed-in page. */
    public String csrfToken() {
        return csrfToken;
    }

    public Instant created() {
        return created;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    void touch(Instant now) {
        lastSeen = now;
    }

    @Override
    public String toString() {
        return "Session[user=" + user + ", created=" + created + ", lastSeen=" + lastSeen + "]";
    }
}
