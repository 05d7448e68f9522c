package dev.parley.web.api;

import dev.parley.pbx.directory.User;
import dev.parley.web.session.Session;

/** Who is calling: the session and the user as stored now (role changes apply at once). */
public record Principal(Session session, User user) {
}
