package dev.parley.web.api;

import dev.parley.pbx.directory.User;
import dev.parley.web.session.Session;

/**
 * Who is calling: the user as stored now (role changes apply at once) and the browser session, or null when the
 * request came with an API token instead.
 */
public record Principal(Session session, User user) {
    public boolean bySession() {
        return session != null;
    }
}
